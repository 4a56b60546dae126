import { errorResponses } from './common';
import { endpoints } from './endpoint';
import { ProblemTileQuery } from './problems';
import { PEOPLE } from './roles';
import { LedgerExtra, LedgerPage } from './workflow';

/** `GET /api/ledger` query: the map's filters plus search, sort and page. */
export const LedgerQuery = ProblemTileQuery.safeExtend(LedgerExtra);

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 问题台账: the ledger page and its exports. */
export const LEDGER_API = endpoints({
  'GET /api/ledger': {
    tag: 'ledger',
    summary: '问题台账: problems with the map’s filters, full-text search, any sort, one page at a time',
    access: PEOPLE,
    query: LedgerQuery,
    responses: { 200: { description: 'A page and the total', schema: LedgerPage }, ...errorResponses(400) },
  },
  'GET /api/ledger/export.xlsx': {
    tag: 'ledger',
    summary: 'The filtered ledger as Excel in the 台账 columns (编号, 类别, 位置, 所属街道, 责任单位, 发现时间, 整改时限, 状态, 整改时间, 复查结果, 是否反复)',
    access: PEOPLE,
    query: LedgerQuery,
    responses: { 200: { description: 'XLSX', contentType: XLSX_CONTENT_TYPE }, ...errorResponses(400) },
  },
  'GET /api/ledger/export.csv': {
    tag: 'ledger',
    summary: 'The filtered ledger as CSV (UTF-8 with BOM), same columns',
    access: PEOPLE,
    query: LedgerQuery,
    responses: { 200: { description: 'CSV', contentType: 'text/csv' }, ...errorResponses(400) },
  },
});
