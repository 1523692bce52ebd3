/** Paths of the Arazzo documents bundled with the package (specs/ at the package root). */
import { fileURLToPath } from 'node:url';

/**
 * Absolute path of a bundled spec file, relative to the package's specs/ folder.
 * @example specPath('composio/arazzo/composio-connect-account-via-auth-config-workflow.yml')
 */
export function specPath(relative: string): string {
  // src/specs.ts and dist/specs.js both sit one level below the package root.
  return fileURLToPath(new URL(`../specs/${relative}`, import.meta.url));
}

/** The bundled Composio "connect an account via a new auth config" workflow. */
export const composioSpec: string = specPath(
  'composio/arazzo/composio-connect-account-via-auth-config-workflow.yml',
);
