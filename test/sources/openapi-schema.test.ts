import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { validate } from '../../src/sources/index.js';
import { captureIO } from '../cli/helpers.js';
import { fixture } from './helpers.js';

const broken = fixture('openapi-schema', 'arazzo.yaml');
const clean = fixture('oas31', 'arazzo.yaml');

describe('OpenAPI sources checked against the OpenAPI schema (validate with checkOpenApi)', () => {
  it('is off by default: a run-time load pays nothing and reports nothing', async () => {
    const outcome = await validate(broken);
    expect(outcome.diagnostics.filter((d) => d.code === 'openapi-schema')).toEqual([]);
  });

  it.each<[string, { strict: boolean; severity: 'warning' | 'error'; valid: boolean }]>([
    ['compat: warnings, the document stays valid', { strict: false, severity: 'warning', valid: true }],
    ['strict: errors', { strict: true, severity: 'error', valid: false }],
  ])('%s', async (_name, { strict, severity, valid }) => {
    const outcome = await validate(broken, { checkOpenApi: true, strict });
    const found = outcome.diagnostics.filter((d) => d.code === 'openapi-schema');
    expect(found.map((d) => [d.pointer, d.severity, d.line, d.column])).toEqual([
      // The path parameter without `required: true`: the deepest problem of each oneOf branch, the
      // Reference Object branch (`$ref` missing) left out.
      ['/paths/~1orders~1{id}/get/parameters/0', severity, 10, 11],
      ['/paths/~1orders~1{id}/get/parameters/0/in', severity, 11, 11],
      // `type: 'null'` is not an OpenAPI 3.0 type.
      ['/paths/~1orders~1{id}/get/parameters/1/schema/type', severity, 15, 21],
    ]);
    expect(found[0]?.message).toContain(`must have required property 'required'`);
    expect(found[2]?.message).toMatch(
      /^source "orders" \(#\/paths\/~1orders~1\{id\}\/get\/parameters\/1\/schema\/type\): must be equal to one of the allowed values: "array", /,
    );
    expect(found.every((d) => d.file.endsWith('openapi-schema/openapi.yaml'))).toBe(true);
    expect(outcome.valid).toBe(valid);
  });

  it('a source with an external $ref (left unresolved by the check) gives no false problem there', async () => {
    const outcome = await validate(clean, { checkOpenApi: true });
    expect(outcome.diagnostics.filter((d) => d.code === 'openapi-schema')).toEqual([]);
  });
});

describe('arazzo validate reports the OpenAPI schema problems at the source file', () => {
  it('prints them as file:line:col warnings and keeps exit 0 (exit 2 with --strict)', async () => {
    const compat = captureIO();
    expect(await main(['validate', '--no-color', broken], compat.io)).toBe(0);
    expect(compat.stdout()).toMatch(
      /openapi-schema\/openapi\.yaml:15:21 warning openapi-schema source "orders"/,
    );
    const strict = captureIO();
    expect(await main(['validate', '--no-color', '--strict', broken], strict.io)).toBe(2);
    expect(strict.stdout()).toMatch(/openapi\.yaml:15:21 error openapi-schema/);
  });
});
