// ESLint for the whole tree, run by `npm run lint` as `eslint -c scripts/lint/eslint.config.js`: the top
// level is fixed (no eslint.config.js beside package.json), so file globs here are relative to the
// repository root, which is where npm runs it from. Why each choice was made: scripts/lint/README.md.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// Node's modules by both spellings (`node:fs` and the bare `fs`), for the folders that must not touch I/O.
const NODE_BUILTINS = `(node:.*|${builtinModules.map((name) => name.replace(/[/]/g, '\\/')).join('|')})(\\/.*)?`;

/** A `no-restricted-imports` entry: an import source matching `regex` is an error that says `message`. */
const restrict = (regex, message) => ({ regex, message });

// The client reaches the server only through the contract: climbing out of client/ into any other
// server folder (server/app included: the contract's endpoint tables type the calls) is an error.
const CLIENT_BOUNDARY = [
  restrict(
    '^(\\.\\./)+server(/|$)(?!contract(/|$))',
    'The browser may import only server/contract/** from the server. Move what both sides need into ' +
      'server/contract (see its README), or keep it in client/src.',
  ),
  restrict(`^${NODE_BUILTINS}$`, 'The browser has no Node built-ins: keep node:* on the server, and what both sides need in server/contract.'),
];

// The contract runs unchanged in Node and in a browser: zod and its own folder, nothing else.
const CONTRACT_MESSAGE =
  'server/contract may import only zod and its own folder (no node:*, no server internals, no DOM ' + 'helpers): see server/contract/README.md.';

// The solver is pure over typed arrays: no HTTP, no I/O, no store, no road graph (services feed it a
// cost matrix).
const SOLVER_BOUNDARY = [
  restrict(
    `^(hono(/.*)?|@hono/.*|${NODE_BUILTINS}|(\\.\\./)+(store|graph)(/.*)?)$`,
    'server/solver stays pure: no hono, node:*, store or graph. Pass the data in (a cost matrix, a ' + 'seeded PRNG, a deadline) from server/services.',
  ),
];

export default defineConfig(
  {
    ignores: ['dist/**', 'node_modules/**', 'var/**', 'test-results/**', 'data/**', 'tests/fixtures/**'],
  },
  js.configs.recommended,
  // Without type information (no parserOptions.project): the type checker already runs in
  // `npm run typecheck`, and the typed rules would make lint take minutes on two cores.
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Chinese documents (整改通知单, 通报) space their text with the ideographic space U+3000 on purpose;
      // outside strings and templates an irregular space is still an error.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true, skipRegExps: true }],
      // `_`-prefixed names are the code's way of saying "unused on purpose" (tsc's noUnused* agree).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['client/**/*.{ts,tsx,js}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['client/public/sw.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.serviceworker } },
  },
  {
    // Tests run in Node but hand callbacks to a page (page.evaluate) or render with a DOM.
    files: ['tests/**/*.{ts,tsx}', 'scripts/bench/screen-paint.ts', 'scripts/bench/assessment-page.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    // API tests read response bodies as untyped JSON on purpose: the assertion is the check on the
    // wire format, which typing the body from the contract would assume instead of test.
    files: ['tests/**/*.{ts,tsx}'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['client/**/*.{ts,tsx}', 'tests/client/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      // v7's React Compiler rules, judged one by one. We do not run the compiler, so a rule is on when
      // what it flags is a bug without the compiler too, and off when it only says "the compiler would
      // bail out here".
      //   On: calling setState during render loops; a component declared inside a render remounts
      //   every time; writing to a prop, state or a module variable during render; impure calls
      //   (Date.now, Math.random) during render; JSX inside try/catch does not catch render errors;
      //   useMemo without a return value, or with a callback the deps check cannot see into.
      'react-hooks/set-state-in-render': 'error',
      'react-hooks/static-components': 'error',
      'react-hooks/immutability': 'error',
      'react-hooks/globals': 'error',
      'react-hooks/purity': 'error',
      'react-hooks/error-boundaries': 'error',
      'react-hooks/void-use-memo': 'error',
      'react-hooks/use-memo': 'error',
      //   Off: refs flags reading or writing ref.current during render. Its 11 hits are two deliberate
      //   patterns: the latest props kept in a ref for MapLibre's imperative callbacks (MapView), and the last accepted filters kept while the user types an impossible date range
      //   (MapPage, LedgerPage). Both render the same thing without the compiler; the cure
      //   (useEffectEvent, state) belongs with the rewrite of those files, not with the linter.
      //   set-state-in-effect flags every effect that stores fetched data or resets state when a
      //   prop changes (the pattern the pages use with an AbortController); the React docs' cure,
      //   deriving state, does not apply to data that arrives asynchronously, so it would be noise.
      //   preserve-manual-memoization, incompatible-library, unsupported-syntax, config and gating only
      //   report where the compiler would skip a component; without the compiler they say nothing
      //   about the code's behaviour. The rules outside v7's recommended set (memo-dependencies,
      //   capitalized-calls, …) stay off like any rule not listed.
      'react-hooks/refs': 'off',
      'react-hooks/set-state-in-effect': 'off',
      'react-hooks/preserve-manual-memoization': 'off',
      'react-hooks/incompatible-library': 'off',
      'react-hooks/unsupported-syntax': 'off',
      'react-hooks/config': 'off',
      'react-hooks/gating': 'off',
    },
  },
  {
    files: ['client/**/*.{ts,tsx,js}'],
    rules: { 'no-restricted-imports': ['error', { patterns: CLIENT_BOUNDARY }] },
  },
  {
    files: ['server/contract/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [restrict('^(?!\\./|zod(/.*)?$)', CONTRACT_MESSAGE)] }],
    },
  },
  {
    // A subfolder of the contract (e.g. endpoint tables) may also reach the files one level up.
    files: ['server/contract/*/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [restrict('^(?!\\./|\\.\\./(?!\\.\\./)|zod(/.*)?$)', CONTRACT_MESSAGE)] }],
    },
  },
  {
    files: ['server/solver/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: SOLVER_BOUNDARY }] },
  },
);
