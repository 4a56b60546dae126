import { z } from 'zod';
import { errorResponses } from './common';
import { endpoints } from './endpoint';
import { ADMINS, PEOPLE, ROLES, USER_ROLES } from './roles';

export const MAX_PASSWORD_LENGTH = 256;

const Username = z
  .string()
  .trim()
  .min(2, 'a username has 2 to 64 characters')
  .max(64, 'a username has 2 to 64 characters')
  .regex(/^[\p{L}\p{N}_.@-]+$/u, 'letters, digits, _ . @ - only');
const Password = z.string().min(1, 'enter the password').max(MAX_PASSWORD_LENGTH);

export const LoginBody = z.object({ username: Username, password: Password });

export const UserOut = z
  .object({
    id: z.number().int(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(USER_ROLES),
    unitId: z.string().nullable(),
    districtId: z.string().nullable().meta({ description: 'a district office’s account (leader, inspector): it sees and plans this district only' }),
    demo: z.boolean(),
    disabled: z.boolean(),
    mustChange: z.boolean().meta({ description: 'a one-time password: the page asks for a new one' }),
  })
  .meta({ id: 'User' });
export type UserOut = z.infer<typeof UserOut>;

export const MeResponse = z
  .object({
    role: z.enum(ROLES),
    user: UserOut.nullable().meta({ description: 'null for a screen token or an API key' }),
    csrfToken: z.string().nullable().meta({ description: 'send as the X-CSRF-Token header on every write' }),
  })
  .meta({ id: 'Me' });

export const PasswordBody = z.object({ current: Password, next: z.string().max(MAX_PASSWORD_LENGTH) });

export const CreateUserBody = z.object({
  username: Username,
  displayName: z.string().trim().min(1).max(64),
  role: z.enum(USER_ROLES),
  unitId: z.string().max(64).nullable().optional(),
  districtId: z
    .string()
    .max(64)
    .nullable()
    .optional()
    .meta({ description: 'for a leader or inspector of a district office: the district (id) it is limited to; none: the whole city' }),
  password: z.string().max(MAX_PASSWORD_LENGTH),
});

export const UpdateUserBody = z
  .object({ disabled: z.boolean().optional(), password: z.string().max(MAX_PASSWORD_LENGTH).optional() })
  .refine((b) => b.disabled !== undefined || b.password !== undefined, { message: 'give disabled and/or password' });

export const IdParam = z.object({ id: z.coerce.number().int().positive().meta({ description: 'numeric id' }) });

export const TokenBody = z.object({ name: z.string().trim().min(1, 'name it after who uses it, e.g. 12345 热线').max(64) });

export const TokenOut = z
  .object({ id: z.number().int(), prefix: z.string(), name: z.string(), createdAt: z.string(), revokedAt: z.string().nullable() })
  .meta({ id: 'Token' });
export type TokenOut = z.infer<typeof TokenOut>;
export const NewTokenOut = TokenOut.extend({ secret: z.string().meta({ description: 'shown once; only its hash is kept' }) });

export const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  before: z.coerce.number().int().positive().optional().meta({ description: 'entries with a smaller id (paging back)' }),
});

export const AuditEntryOut = z
  .object({
    id: z.number().int(),
    at: z.string(),
    userId: z.number().int().nullable(),
    username: z.string().nullable(),
    role: z.string().nullable(),
    method: z.string(),
    path: z.string(),
    status: z.number().int(),
    ip: z.string(),
    detail: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntryOut = z.infer<typeof AuditEntryOut>;

const USER_ERRORS = [401, 403] as const;

/** Sign-in, accounts, keys, tokens and the audit log. */
export const AUTH_API = endpoints({
  'POST /api/auth/login': {
    tag: 'auth',
    summary: 'Sign in: sets the session cookie and returns the CSRF token',
    access: 'public',
    bodyLimit: 4096,
    body: LoginBody,
    responses: { 200: { description: 'Signed in', schema: MeResponse }, ...errorResponses(400, 401, 429) },
  },
  'POST /api/auth/logout': {
    tag: 'auth',
    summary: 'Sign out: ends the session',
    access: 'public',
    bodyLimit: 0,
    responses: { 204: { description: 'Signed out' }, ...errorResponses(403, 413) },
  },
  'GET /api/auth/me': {
    tag: 'auth',
    summary: 'Who is signed in (401 when nobody)',
    access: 'public',
    responses: { 200: { description: 'The caller', schema: MeResponse }, ...errorResponses(401) },
  },
  'POST /api/auth/password': {
    tag: 'auth',
    summary: 'Change my password (ends my other sessions)',
    access: PEOPLE,
    bodyLimit: 4096,
    body: PasswordBody,
    responses: { 204: { description: 'Changed' }, ...errorResponses(400, 401) },
  },
  'GET /api/users': {
    tag: 'auth',
    summary: 'Accounts (admin)',
    access: ADMINS,
    responses: { 200: { description: 'Every account', schema: z.array(UserOut) }, ...errorResponses(...USER_ERRORS) },
  },
  'POST /api/users': {
    tag: 'auth',
    summary: 'Create an account (admin)',
    access: ADMINS,
    bodyLimit: 4096,
    body: CreateUserBody,
    responses: { 201: { description: 'Created', schema: UserOut }, ...errorResponses(400, ...USER_ERRORS) },
  },
  'PATCH /api/users/:id': {
    tag: 'auth',
    summary: 'Disable/enable an account or reset its password (admin)',
    access: ADMINS,
    bodyLimit: 4096,
    params: IdParam,
    body: UpdateUserBody,
    responses: { 200: { description: 'Changed', schema: UserOut }, ...errorResponses(400, ...USER_ERRORS, 404) },
  },
  'GET /api/api-keys': {
    tag: 'auth',
    summary: 'API keys for other city systems (admin)',
    access: ADMINS,
    responses: { 200: { description: 'Keys (no secrets)', schema: z.array(TokenOut) }, ...errorResponses(...USER_ERRORS) },
  },
  'POST /api/api-keys': {
    tag: 'auth',
    summary: 'Issue an API key (admin); the key is shown once',
    access: ADMINS,
    bodyLimit: 4096,
    body: TokenBody,
    responses: { 201: { description: 'The new key', schema: NewTokenOut }, ...errorResponses(400, ...USER_ERRORS) },
  },
  'DELETE /api/api-keys/:id': {
    tag: 'auth',
    summary: 'Revoke an API key (admin)',
    access: ADMINS,
    params: IdParam,
    responses: { 204: { description: 'Revoked' }, ...errorResponses(...USER_ERRORS, 404) },
  },
  'GET /api/screen-tokens': {
    tag: 'auth',
    summary: 'Read-only tokens for big-screen PCs (admin)',
    access: ADMINS,
    responses: { 200: { description: 'Tokens (no secrets)', schema: z.array(TokenOut) }, ...errorResponses(...USER_ERRORS) },
  },
  'POST /api/screen-tokens': {
    tag: 'auth',
    summary: 'Issue a screen token (admin); open /screen?screen_token=… with it',
    access: ADMINS,
    bodyLimit: 4096,
    body: TokenBody,
    responses: { 201: { description: 'The new token', schema: NewTokenOut }, ...errorResponses(400, ...USER_ERRORS) },
  },
  'DELETE /api/screen-tokens/:id': {
    tag: 'auth',
    summary: 'Revoke a screen token (admin)',
    access: ADMINS,
    params: IdParam,
    responses: { 204: { description: 'Revoked' }, ...errorResponses(...USER_ERRORS, 404) },
  },
  'GET /api/audit': {
    tag: 'auth',
    summary: 'The audit log of every write, newest first (admin)',
    access: ADMINS,
    query: AuditQuery,
    responses: { 200: { description: 'Entries', schema: z.array(AuditEntryOut) }, ...errorResponses(400, ...USER_ERRORS) },
  },
});
