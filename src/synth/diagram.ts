/**
 * `steward diagram`: the deployment's architecture as SVG, drawn from the same input and the
 * same networkFlows() as the synthesized security groups, so the committed diagram cannot go
 * stale. One section per environment: outside actors, the VPC with its four subnet tiers, the
 * flows between them with their ports, and the full table of allowed inbound flows.
 */
import type { BlueprintEnvironment, BlueprintInput } from './blueprint-input.ts';
import { environmentProfile } from './environment-profile.ts';
import { type Component, type Flow, type FlowSource, networkFlows, productPorts } from './flows.ts';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const WIDTH = 1200;
const MARGIN = 20;
const SIDE_COLUMN = 220;
const NODE_HEIGHT = 56;
const HOST_WIDTH = 180;
const GAP = 16;
const BAND_TITLE = 24;
const LINE = 16;
const LABEL_POSITIONS = [0.5, 0.3, 0.7, 0.4, 0.6];

const COLORS = {
  public: '#e8f4fd',
  application: '#eaf7ea',
  monitoring: '#fdf3e4',
  data: '#f3ebfa',
  node: '#ffffff',
  external: '#f2f2f2',
  stroke: '#445566',
  flow: '#c0392b',
  egress: '#7f8c8d',
};

export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );
}

function text(x: number, y: number, content: string, attributes = ''): string {
  return `<text x="${x}" y="${y}"${attributes ? ` ${attributes}` : ''}>${escapeXml(content)}</text>`;
}

function rect(box: Box, fill: string, attributes = ''): string {
  return `<rect x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" rx="6" fill="${fill}" stroke="${COLORS.stroke}"${attributes ? ` ${attributes}` : ''}/>`;
}

function node(box: Box, lines: string[], fill = COLORS.node, id = ''): string {
  const [title = '', ...rest] = lines;
  return [
    `<g${id ? ` id="${escapeXml(id)}"` : ''}>`,
    rect(box, fill),
    text(box.x + 8, box.y + 18, title, 'font-weight="bold"'),
    ...rest.map((line, i) => text(box.x + 8, box.y + 34 + i * 14, line, 'font-size="11"')),
    '</g>',
  ].join('');
}

/** Where the segment from a box's centre towards (tx, ty) leaves the box. */
function edgePoint(box: Box, tx: number, ty: number): [number, number] {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const dx = tx - cx;
  const dy = ty - cy;
  if (dx === 0 && dy === 0) return [cx, cy];
  const scale = Math.min(
    dx === 0 ? Number.POSITIVE_INFINITY : box.width / 2 / Math.abs(dx),
    dy === 0 ? Number.POSITIVE_INFINITY : box.height / 2 / Math.abs(dy),
  );
  return [cx + dx * scale, cy + dy * scale];
}

/** An arrow with its label on the line, at fraction `at` of the way (varied so labels do not stack). */
function arrow(from: Box, to: Box, label: string, color: string, at: number): string {
  const [x1, y1] = edgePoint(from, to.x + to.width / 2, to.y + to.height / 2);
  const [x2, y2] = edgePoint(to, from.x + from.width / 2, from.y + from.height / 2);
  const mx = x1 + (x2 - x1) * at;
  const my = y1 + (y2 - y1) * at;
  const marker = color === COLORS.flow ? 'flow' : 'egress';
  return [
    `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="${color}" stroke-width="1.5" marker-end="url(#${marker})"${color === COLORS.egress ? ' stroke-dasharray="5 3"' : ''}/>`,
    `<rect x="${(mx - label.length * 3.3 - 4).toFixed(1)}" y="${(my - 11).toFixed(1)}" width="${(label.length * 6.6 + 8).toFixed(1)}" height="15" fill="#ffffff" opacity="0.9"/>`,
    text(
      Number(mx.toFixed(1)),
      Number((my + 1).toFixed(1)),
      label,
      `font-size="11" text-anchor="middle" fill="${color}"`,
    ),
  ].join('');
}

function sourceText(source: FlowSource): string {
  if (source.kind === 'component') return source.component;
  return `${source.label} ${source.cidr}`;
}

function portText(flow: Pick<Flow, 'port' | 'protocol'>): string {
  return `${flow.port}/${flow.protocol}`;
}

/** Drawn boxes: hosts are drawn individually but their flows meet at the application tier. */
type Anchor = Component | 'application' | 'nat' | 'operators' | 'product-clients' | 'datacenter-bastion';

function anchorOf(source: FlowSource | Component): Anchor {
  if (typeof source === 'string') return source.startsWith('host:') ? 'application' : source;
  if (source.kind === 'network') return source.label;
  return anchorOf(source.component);
}

interface Section {
  svg: string[];
  height: number;
}

function environmentSection(input: BlueprintInput, env: BlueprintEnvironment, top: number): Section {
  const profile = environmentProfile(input, env);
  const flows = networkFlows(input, env);
  const svg: string[] = [];
  const boxes = new Map<Anchor, Box>();
  const inVpc = input.bastion.placement === 'vpc';
  const vpcWidth = WIDTH - 2 * MARGIN - SIDE_COLUMN;
  const left = MARGIN;
  let y = top;

  const title = `${env.name}${profile.production ? ' (production)' : ''}: stack ${profile.stackName}${
    profile.region ? `, ${profile.region}` : ''
  }${profile.account ? `, account ${profile.account}` : ''}`;
  svg.push(text(left, y + 18, title, 'font-size="18" font-weight="bold"'));
  y += 32;

  // Outside actors.
  const external = (anchor: Anchor, x: number, lines: string[]) => {
    const box = { x, y, width: 250, height: NODE_HEIGHT };
    boxes.set(anchor, box);
    svg.push(node(box, lines, COLORS.external));
  };
  external('operators', left + 20, ['Operator networks', input.operatorNetworks.join(', ')]);
  if (productPorts(env).length > 0)
    external('product-clients', left + 320, ['Product clients', profile.productClients.join(', ')]);
  if (!inVpc)
    external('datacenter-bastion', left + 620, [
      'Datacenter bastion',
      `${input.bastion.address ?? ''}, steward gateway`,
    ]);
  y += NODE_HEIGHT + 40;

  // The VPC and its tiers.
  const vpcTop = y;
  y += 30;
  const band = (name: string, fill: string, rows: number, draw: (bandTop: number) => void) => {
    const height = BAND_TITLE + rows * (NODE_HEIGHT + GAP) + GAP / 2;
    svg.push(rect({ x: left + 10, y, width: vpcWidth - 20, height }, fill, 'stroke-dasharray="4 2"'));
    svg.push(text(left + 18, y + 16, name, 'font-size="12" font-style="italic"'));
    draw(y + BAND_TITLE);
    y += height + 10;
  };
  const place = (anchor: Anchor, x: number, rowTop: number, width: number, lines: string[]) => {
    const box = { x, y: rowTop, width, height: NODE_HEIGHT };
    boxes.set(anchor, box);
    svg.push(node(box, lines, COLORS.node, anchor));
  };

  band(`Public subnets (${profile.azCount} AZs)`, COLORS.public, 1, (rowTop) => {
    let x = left + 24;
    const next = (anchor: Anchor, lines: string[], width = 200) => {
      place(anchor, x, rowTop, width, lines);
      x += width + GAP;
    };
    if (inVpc)
      next('bastion', [
        'Bastion',
        `steward gateway :${input.bastion.port}`,
        'IMDSv2, encrypted disk, Elastic IP',
      ]);
    next('dashboard-lb', ['Dashboard load balancer', 'HTTPS :443 (ACM certificate)']);
    const ports = productPorts(env);
    if (ports.length > 0) next('product-lb', ['Product load balancer', `TCP ${ports.join(', ')}`]);
    next(
      'nat',
      [
        'NAT gateway',
        `${profile.natGateways} (${profile.natGateways === profile.azCount ? 'one per AZ' : 'shared'})`,
      ],
      170,
    );
  });

  const perRow = Math.max(1, Math.floor((vpcWidth - 48) / (HOST_WIDTH + GAP)));
  const hostRows = Math.max(1, Math.ceil(env.hosts.length / perRow));
  const applicationTop = y;
  band('Private application subnets', COLORS.application, hostRows, (rowTop) => {
    env.hosts.forEach((host, i) => {
      const x = left + 24 + (i % perRow) * (HOST_WIDTH + GAP);
      const rowY = rowTop + Math.floor(i / perRow) * (NODE_HEIGHT + GAP);
      const ports = host.productPorts ?? [];
      place(`host:${host.name}`, x, rowY, HOST_WIDTH, [
        host.name,
        host.role ? `role ${host.role}` : 'application host',
        ports.length > 0 ? `product ${ports.join(', ')}` : 'no product port',
      ]);
    });
    if (env.hosts.length === 0)
      svg.push(text(left + 24, rowTop + 20, '(no application hosts)', 'font-size="11"'));
  });
  boxes.set('application', {
    x: left + 10,
    y: applicationTop,
    width: vpcWidth - 20,
    height: y - applicationTop - 10,
  });

  band('Private monitoring subnet (internet through NAT only)', COLORS.monitoring, 1, (rowTop) => {
    place('monitoring', left + 24, rowTop, 260, [
      'Monitoring host',
      `steward serve :${input.monitoring.dashboardPort}, steward backup`,
    ]);
  });
  band('Isolated data subnets (no route out)', COLORS.data, 1, (rowTop) => {
    if (env.database) {
      const db = env.database;
      place('database', left + 24, rowTop, 260, [
        `RDS ${db.engine}`,
        `${profile.production ? 'Multi-AZ, deletion protection' : 'single AZ'}, encrypted`,
      ]);
    } else {
      svg.push(text(left + 24, rowTop + 20, '(no database)', 'font-size="11"'));
    }
  });
  svg.push(
    rect({ x: left, y: vpcTop, width: vpcWidth, height: y - vpcTop }, 'none', 'stroke-width="2"'),
    text(
      left + 10,
      vpcTop + 20,
      `VPC ${profile.cidr}, flow logs, S3 and DynamoDB gateway endpoints`,
      'font-weight="bold"',
    ),
  );

  // Outside the VPC, on the right: the backup bucket and the alert services.
  const side = left + vpcWidth + 20;
  const bucket = { x: side, y: boxes.get('monitoring')!.y, width: SIDE_COLUMN - 20, height: NODE_HEIGHT };
  svg.push(node(bucket, ['S3 backup bucket', 'versioned, encrypted, TLS only'], COLORS.external));
  const internet = { x: side, y: boxes.get('nat')!.y, width: SIDE_COLUMN - 20, height: NODE_HEIGHT };
  svg.push(node(internet, ['Alert services', 'paging, chat, mail (SES)'], COLORS.external));

  // Allowed flows, merged per pair of drawn boxes.
  const merged = new Map<string, { from: Anchor; to: Anchor; labels: Set<string> }>();
  for (const flow of flows) {
    const from = anchorOf(flow.from);
    const to = anchorOf(flow.to);
    const key = `${from}>${to}`;
    const entry = merged.get(key) ?? { from, to, labels: new Set<string>() };
    entry.labels.add(portText(flow));
    merged.set(key, entry);
  }
  let offset = 0;
  for (const { from, to, labels } of merged.values()) {
    const a = boxes.get(from);
    const b = boxes.get(to);
    if (!a || !b || a === b) continue;
    svg.push(
      arrow(a, b, [...labels].join(', '), COLORS.flow, LABEL_POSITIONS[offset++ % LABEL_POSITIONS.length]!),
    );
  }
  svg.push(arrow(boxes.get('monitoring')!, bucket, 'backups 443/tcp (endpoint)', COLORS.egress, 0.5));
  svg.push(arrow(boxes.get('monitoring')!, boxes.get('nat')!, 'alerts (egress)', COLORS.egress, 0.6));
  svg.push(arrow(boxes.get('nat')!, internet, '443/tcp', COLORS.egress, 0.5));

  // The complete list, host by host: the diagram's arrows summarise it.
  y += 24;
  svg.push(text(left, y, 'Allowed inbound flows (everything else is denied)', 'font-weight="bold"'));
  y += 6;
  for (const flow of flows) {
    y += LINE;
    svg.push(
      text(
        left + 10,
        y,
        `${sourceText(flow.from)} \u2192 ${flow.to}  ${portText(flow)}  (${flow.purpose})`,
        'font-size="11" font-family="monospace"',
      ),
    );
  }
  return { svg, height: y - top + 30 };
}

export function renderDiagram(input: BlueprintInput): string {
  const body: string[] = [];
  let y = MARGIN + 30;
  for (const env of input.environments) {
    const section = environmentSection(input, env, y);
    body.push(`<g class="environment" id="env-${escapeXml(env.name)}">`, ...section.svg, '</g>');
    y += section.height;
  }
  const height = Math.ceil(y + MARGIN);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="13">`,
    `<title>${escapeXml(`${input.deployment}: AWS blueprint`)}</title>`,
    '<defs>',
    `<marker id="flow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="${COLORS.flow}"/></marker>`,
    `<marker id="egress" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="${COLORS.egress}"/></marker>`,
    '</defs>',
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    text(
      MARGIN,
      MARGIN + 10,
      `${input.deployment}: AWS blueprint (generated by steward diagram)`,
      'font-size="20" font-weight="bold"',
    ),
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
