/**
 * Encryption of everything the queue writes to Redis that could hold a secret (inputs, run options with
 * credentials, run state with step outputs, results): AES-256-GCM under a key shared by enqueuers and
 * workers. Each value is bound to its run id and field, so a ciphertext cannot be moved to another run.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { OptionsError } from '../errors.js';

/** Environment variable read when no `secretKey` option is given. */
export const QUEUE_KEY_ENV = 'ARAZZO_QUEUE_KEY';
const MIN_QUEUE_KEY_LENGTH = 32;
const VERSION = 'v1';

export interface Sealer {
  /** JSON-encode and encrypt `value`; `context` (e.g. `<runId>/state`) must be the same to open it. */
  seal(value: unknown, context: string): string;
  /** Decrypt and parse; throws when the key or context is wrong or the text was altered. */
  open(text: string, context: string): unknown;
}

/** The secret to use: the option, else ARAZZO_QUEUE_KEY. Throws OptionsError when neither is set or it is short. */
export function resolveSecretKey(
  secretKey: string | Uint8Array | undefined,
  env: Record<string, string | undefined> = process.env,
): string | Uint8Array {
  const key = secretKey ?? env[QUEUE_KEY_ENV];
  if (key === undefined || key.length === 0) {
    throw new OptionsError(
      `secretKey: no key to encrypt queued runs; pass secretKey or set ${QUEUE_KEY_ENV} (at least ${MIN_QUEUE_KEY_LENGTH} random characters, e.g. \`openssl rand -hex 32\`)`,
    );
  }
  if (key.length < MIN_QUEUE_KEY_LENGTH) {
    throw new OptionsError(
      `secretKey: must be at least ${MIN_QUEUE_KEY_LENGTH} characters or bytes, got ${key.length}`,
    );
  }
  return key;
}

/** A sealer whose AES-256 key is derived from `secret` with HKDF-SHA256. */
export function createSealer(secret: string | Uint8Array): Sealer {
  const material = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  const key = Buffer.from(hkdfSync('sha256', material, 'arazzo-runtime/queue', 'aes-256-gcm v1', 32));
  return {
    seal(value, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(JSON.stringify(value) ?? 'null', 'utf8'), cipher.final()]);
      return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    open(text, context) {
      if (!text.startsWith(`${VERSION}.`)) throw new OptionsError('queue: unknown sealed value format');
      const raw = Buffer.from(text.slice(VERSION.length + 1), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(raw.subarray(12, 28));
      let plain: string;
      try {
        plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        throw new OptionsError(
          `queue: cannot decrypt ${context} (a different secretKey / ${QUEUE_KEY_ENV} than the one it was written with?)`,
        );
      }
      return JSON.parse(plain) as unknown;
    },
  };
}
