import { API_KEY_PARAM, CSRF_HEADER, SCREEN_TOKEN_HEADER, SCREEN_TOKEN_PARAM } from '../../auth/middleware';
import { SESSION_COOKIE } from '../../auth/sessions';
import { API } from '../../contract/api';
import { buildOpenApi } from '../../services/openapi/openapi';
import { declareRoutes } from '../define';

/** `GET /api/openapi.json`: built once from the contract's endpoint declarations. */
export function openapiRoutes() {
  const doc = buildOpenApi(
    {
      title: 'Xuncha 巡查 API',
      version: '0.1.0',
      description:
        'The map API of a civilized-city campaign (创建文明城市): city layers as GeoJSON, problems with filters ' +
        'and paging, basemap and problem vector tiles. Errors are `{ error, details }`.',
    },
    API,
    {
      sessionCookie: SESSION_COOKIE,
      csrfHeader: CSRF_HEADER,
      apiKeyParam: API_KEY_PARAM,
      screenTokenHeader: SCREEN_TOKEN_HEADER,
      screenTokenParam: SCREEN_TOKEN_PARAM,
    },
  );
  return declareRoutes().route('GET /api/openapi.json', (c) => c.json(doc)).app;
}
