import snmp from 'net-snmp';

export type SnmpValue = number | string | Buffer | bigint | boolean | null;

export interface WalkResult {
  /** Scalar OID → value, for those the agent has. */
  scalars: Map<string, SnmpValue>;
  /** Column OID → (row index → value). */
  columns: Map<string, Map<string, SnmpValue>>;
  /** GetBulk requests sent (the poll's cost on the wire). */
  requests: number;
}

const MAX_ROUNDS = 500;
/** snmpd answers at most ~100 varbinds per GetBulk by default; more would only be truncated. */
const VARBINDS_PER_REQUEST = 96;

type Session = InstanceType<typeof snmp.Session>;
type Varbind = snmp.Varbind;

function getBulk(
  session: Session,
  oids: string[],
  nonRepeaters: number,
  repetitions: number,
): Promise<(Varbind | Varbind[])[]> {
  return new Promise((resolve, reject) => {
    session.getBulk(oids, nonRepeaters, repetitions, (error, varbinds) => {
      if (error) reject(error);
      else resolve(varbinds ?? []);
    });
  });
}

function usable(varbind: Varbind | undefined): varbind is Varbind {
  return varbind !== undefined && !snmp.isVarbindError(varbind);
}

/**
 * Reads scalars and table columns in as few GetBulk requests as the agent allows: the first request
 * carries every scalar (as a non-repeater, asked from the OID just before it) and the first rows of
 * every column; later requests go on with the columns that have more rows, each from its last OID.
 * A host's whole poll is typically 2-4 requests, whatever the number of metrics.
 */
export async function bulkWalk(
  session: Session,
  scalars: { oid: string; before: string }[],
  columns: string[],
): Promise<WalkResult> {
  const result: WalkResult = { scalars: new Map(), columns: new Map(), requests: 0 };
  for (const column of columns) result.columns.set(column, new Map());
  const cursor = new Map<string, string>(columns.map((c) => [c, c]));
  let pendingScalars = scalars;
  for (let round = 0; round < MAX_ROUNDS && (cursor.size > 0 || pendingScalars.length > 0); round++) {
    const active = [...cursor.keys()];
    const repetitions = Math.max(
      1,
      Math.floor((VARBINDS_PER_REQUEST - pendingScalars.length) / Math.max(1, active.length)),
    );
    const nonRepeaters = pendingScalars.length;
    const oids = [...pendingScalars.map((s) => s.before), ...active.map((c) => cursor.get(c)!)];
    result.requests++;
    const varbinds = await getBulk(session, oids, nonRepeaters, repetitions);
    pendingScalars.forEach((scalar, i) => {
      const vb = varbinds[i] as Varbind | undefined;
      if (usable(vb) && vb.oid === scalar.oid) result.scalars.set(scalar.oid, vb.value as SnmpValue);
    });
    pendingScalars = [];
    let progressed = false;
    active.forEach((column, i) => {
      const group = varbinds[nonRepeaters + i];
      const rows = Array.isArray(group) ? group : group ? [group] : [];
      const prefix = `${column}.`;
      const values = result.columns.get(column)!;
      let finished = false;
      for (const vb of rows) {
        if (!usable(vb) || !vb.oid.startsWith(prefix)) {
          finished = true;
          break;
        }
        values.set(vb.oid.slice(prefix.length), vb.value as SnmpValue);
        cursor.set(column, vb.oid);
        progressed = true;
      }
      if (finished) cursor.delete(column);
    });
    // An agent that returns nothing usable for any column has nothing more to give.
    if (!progressed) cursor.clear();
  }
  return result;
}
