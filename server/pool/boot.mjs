// The file a pool worker starts from. Plain JavaScript, because Node cannot load a .ts entry by itself:
// it registers tsx (which the server runs under, `npm start`, and which Vitest's workers lack), then
// loads the TypeScript runtime. NOTE: `execArgv: ['--import', 'tsx']` does not work for a worker's
// entry file on Node 20 (ERR_UNKNOWN_FILE_EXTENSION), hence tsx's register() here.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.runtime);
