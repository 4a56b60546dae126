import { z } from 'zod';
import { ROLES, USER_ROLES } from './roles';

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
