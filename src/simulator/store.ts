/**
 * In-memory Composio resources and the JSON shapes the simulator answers with, following the
 * response schemas of postAuthConfigs, postConnectedAccounts and getConnectedAccountsByNanoid in
 * specs/composio/openapi/composio-openapi-original.json.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ConnectionOutcome } from './types.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `prefix` + 12 alphanumerics, like Composio's `ac_…` / `ca_…` nanoids. Modulo bias is irrelevant here. */
export function nanoid(prefix: string): string {
  const bytes = randomBytes(12);
  let out = prefix;
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

export const AUTH_SCHEMES = [
  'OAUTH2',
  'OAUTH1',
  'API_KEY',
  'BASIC',
  'BILLCOM_AUTH',
  'BEARER_TOKEN',
  'GOOGLE_SERVICE_ACCOUNT',
  'NO_AUTH',
  'BASIC_WITH_JWT',
  'CALCOM_AUTH',
  'SERVICE_ACCOUNT',
  'SAML',
  'DCR_OAUTH',
] as const;

export interface AuthConfigRecord {
  id: string;
  uuid: string;
  toolkitSlug: string;
  authScheme: string;
  isComposioManaged: boolean;
  restrictToFollowingTools: string[];
}

export type AccountStatus = 'INITIATED' | ConnectionOutcome;

export interface AccountRecord {
  id: string;
  uuid: string;
  authConfig: AuthConfigRecord;
  userId: string;
  status: AccountStatus;
  /** GETs answered so far. */
  polls: number;
  redirectUrl: string | null;
  createdAt: string;
  updatedAt: string;
}

export function authConfigBody(config: AuthConfigRecord): Record<string, unknown> {
  return {
    toolkit: { slug: config.toolkitSlug },
    auth_config: {
      id: config.id,
      auth_scheme: config.authScheme,
      is_composio_managed: config.isComposioManaged,
      restrict_to_following_tools: config.restrictToFollowingTools,
    },
  };
}

/** Connection data (`val`) for a status, shaped like the OAuth2 variants of the document's oneOf. */
function connectionValue(account: AccountRecord): Record<string, unknown> {
  switch (account.status) {
    case 'INITIATED':
      return { status: 'INITIATED', redirectUrl: account.redirectUrl ?? '', callback_url: '' };
    case 'ACTIVE':
      return {
        status: 'ACTIVE',
        access_token: `sim_access_${account.id}`,
        token_type: 'Bearer',
        expires_in: 3600,
        scope: null,
      };
    case 'FAILED':
      return {
        status: 'FAILED',
        error: 'access_denied',
        error_description: 'The user denied access (simulated)',
      };
    case 'EXPIRED':
      return { status: 'EXPIRED', expired_at: account.updatedAt };
  }
}

function statusReason(status: AccountStatus): string | null {
  if (status === 'FAILED') return 'The user denied access (simulated)';
  if (status === 'EXPIRED') return 'The connection request expired (simulated)';
  return null;
}

export function createdAccountBody(account: AccountRecord): Record<string, unknown> {
  return {
    id: account.id,
    connectionData: { authScheme: account.authConfig.authScheme, val: connectionValue(account) },
    status: account.status,
    redirect_url: account.redirectUrl,
    redirect_uri: account.redirectUrl,
    deprecated: { uuid: account.uuid, authConfigUuid: account.authConfig.uuid },
  };
}

export function accountBody(account: AccountRecord): Record<string, unknown> {
  const val = connectionValue(account);
  return {
    toolkit: { slug: account.authConfig.toolkitSlug },
    auth_config: {
      id: account.authConfig.id,
      auth_scheme: account.authConfig.authScheme,
      is_composio_managed: account.authConfig.isComposioManaged,
      is_disabled: false,
      deprecated: { uuid: account.authConfig.uuid },
    },
    id: account.id,
    user_id: account.userId,
    status: account.status,
    created_at: account.createdAt,
    updated_at: account.updatedAt,
    state: { authScheme: account.authConfig.authScheme, val },
    data: val,
    status_reason: statusReason(account.status),
    is_disabled: false,
    deprecated: { labels: [], uuid: account.uuid },
    params: {},
  };
}

export function newUuid(): string {
  return randomUUID();
}
