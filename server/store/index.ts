import type Database from 'better-sqlite3';
import { analyticsQueries } from './analytics';
import { cityQueries } from './city';
import { openDatabase } from './db';
import { layerQueries } from './layers';
import { placeQueries } from './places';
import { authQueries } from './auth';
import { planQueries } from './plans';
import { problemQueries } from './problems';
import { revisionQueries } from './revisions';
import { eventQueries } from './events';
import { mediaQueries } from './media';
import { ledgerQueries } from './ledger';
import { workflowQueries } from './workflow';
import { rankingQueries } from './rankings';
import { settingsQueries } from './settings';
import { checkQueries } from './checks';
import { assessmentQueries } from './assessment';
import { mockQueries } from './assessment-mocks';
import { catalogVersionQueries } from './assessment-catalogs';
import { gridQueries } from './grids';
import { requestQueries } from './requests';
import { consequenceQueries } from './consequences';
import { trackQueries } from './tracks';

export type { AuditEntry, SessionRecord, TokenRecord, UserRecord } from './auth';
export type { CityRecord } from './city';
export type { PlaceRecord } from './places';
export type { GridRecord } from './grids';
export type { ProblemPointRow } from './problems';
export type { ProblemAnalyticsRow } from './analytics';
export type { TrackPointRow } from './tracks';
export { SCHEMA_VERSION } from './migrations';

/**
 * The SQLite store: the only module that runs SQL. Reads are methods; the one write is the importer
 * (`import-layers.ts`).
 */
export interface Store
  extends
    ReturnType<typeof cityQueries>,
    ReturnType<typeof layerQueries>,
    ReturnType<typeof problemQueries>,
    ReturnType<typeof placeQueries>,
    ReturnType<typeof revisionQueries>,
    ReturnType<typeof authQueries>,
    ReturnType<typeof planQueries>,
    ReturnType<typeof analyticsQueries>,
    ReturnType<typeof workflowQueries>,
    ReturnType<typeof ledgerQueries>,
    ReturnType<typeof rankingQueries>,
    ReturnType<typeof mediaQueries>,
    ReturnType<typeof eventQueries>,
    ReturnType<typeof settingsQueries>,
    ReturnType<typeof checkQueries>,
    ReturnType<typeof assessmentQueries>,
    ReturnType<typeof mockQueries>,
    ReturnType<typeof catalogVersionQueries>,
    ReturnType<typeof gridQueries>,
    ReturnType<typeof requestQueries>,
    ReturnType<typeof consequenceQueries>,
    ReturnType<typeof trackQueries> {
  /** Path of the database file. */
  readonly file: string;
  /** NOTE: for modules under server/store only; everything else goes through the methods. */
  readonly db: Database.Database;
  /** Closes the database; the store is unusable afterwards. */
  close(): void;
}

/**
 * Opens the database at `dbPath`, creating and migrating it as needed (WAL mode).
 *
 * @throws StoreError with a sentence naming the file and what to do when it is not a usable database
 *   (e.g. "… is not a usable SQLite database … Move it away (mv …) and start again").
 * @example
 * const store = openStore('var/xuncha.db');
 * if (!store.hasCity()) importLayers(store, 'var/layers');
 */
export function openStore(dbPath: string): Store {
  const db = openDatabase(dbPath);
  const city = cityQueries(db);
  return {
    file: dbPath,
    db,
    ...city,
    ...layerQueries(db),
    ...problemQueries(db, city.cityStamp),
    ...placeQueries(db),
    ...revisionQueries(db),
    ...authQueries(db),
    ...planQueries(db),
    ...analyticsQueries(db),
    ...workflowQueries(db, city.cityStamp),
    ...ledgerQueries(db, city.cityStamp),
    ...rankingQueries(db),
    ...mediaQueries(db),
    ...eventQueries(db),
    ...settingsQueries(db),
    ...checkQueries(db),
    ...assessmentQueries(db),
    ...mockQueries(db),
    ...catalogVersionQueries(db),
    ...gridQueries(db),
    ...requestQueries(db),
    ...consequenceQueries(db),
    ...trackQueries(db),
    close() {
      if (db.open) db.close();
    },
  };
}
