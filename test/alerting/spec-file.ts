import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A spec with one prod and one test host (7 lines), followed by `extra`. */
export function writeSpec(extra: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'steward-alerting-'));
  const file = join(dir, 'steward.yaml');
  writeFileSync(
    file,
    `deployment: acme
operatorNetworks: [127.0.0.0/8]
environments:
  - name: prod
    hosts: [{ name: web-1, address: 127.0.0.1 }]
  - name: test
    hosts: [{ name: web-2, address: 127.0.0.1 }]${extra}`,
  );
  return file;
}
