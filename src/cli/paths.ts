/** Files shipped with the package, found from this module's URL (src/cli/ and dist/cli/ are both two levels down). */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = new URL('../../', import.meta.url);

export const DEMO_WORKFLOW = fileURLToPath(
  new URL('specs/composio/arazzo/composio-connect-account-via-auth-config-workflow.yml', PACKAGE_ROOT),
);

export async function packageVersion(): Promise<string> {
  const text = await readFile(new URL('package.json', PACKAGE_ROOT), 'utf8');
  const version = (JSON.parse(text) as { version?: unknown }).version;
  return typeof version === 'string' ? version : 'unknown';
}
