import { stateName } from '../../core/index.ts';
import { esc } from '../dashboard/html.ts';
import type { AvailabilityReport } from './report.ts';

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return d ? `${d}d ${h}h ${m}m` : h ? `${h}h ${m}m` : m ? `${m}m ${s % 60}s` : `${s}s`;
}

const pct = (part: number, total: number) => (total > 0 ? `${((part / total) * 100).toFixed(2)}%` : '—');

/** The report as an HTML fragment (the dashboard embeds it; the PDF wraps it in a page). */
export function reportHtml(r: AvailabilityReport): string {
  const total = r.to - r.from;
  const rows = r.rows
    .map((a) => {
      const states = Object.entries(a.timeInState)
        .filter(([, ms]) => ms > 0)
        .map(([code, ms]) => `${stateName(a.object.kind, Number(code))} ${pct(ms, total)}`)
        .concat(a.undeterminedMs > 0 ? [`not monitored yet ${pct(a.undeterminedMs, total)}`] : [])
        .join(', ');
      const sla = a.undeterminedMs >= total ? '—' : `${a.slaPercent.toFixed(4)}%`;
      const outages = a.outages.length
        ? `<ul>${a.outages
            .map(
              (o) =>
                `<li>${esc(new Date(o.start).toISOString())} · ${formatDuration(o.durationMs)} ${esc(stateName(a.object.kind, o.state))}${o.inDowntimeMs ? ` (${formatDuration(o.inDowntimeMs)} in downtime)` : ''}</li>`,
            )
            .join('')}</ul>`
        : '—';
      return `<tr><td>${esc(a.object.host)}</td><td>${a.object.kind === 'service' ? esc(a.object.name) : '(host)'}</td><td class="num">${sla}</td><td>${esc(states)}</td><td>${formatDuration(a.unplannedOutageMs)}</td><td>${a.downtimeMs ? formatDuration(a.downtimeMs) : '—'}</td><td>${outages}</td></tr>`;
    })
    .join('');
  return `<div class="report"><h2>Availability: ${esc(r.environment)}</h2>
<p>${esc(new Date(r.from).toISOString())} → ${esc(new Date(r.to).toISOString())} (${formatDuration(total)}). Hosts: ${r.summary.hosts}, mean ${r.summary.hostSla.toFixed(4)}%. Services: ${r.summary.services}, mean ${r.summary.serviceSla.toFixed(4)}%. Time in scheduled downtime does not count against the SLA, nor does time before an object's first check (not monitored yet); services are out when CRITICAL or UNKNOWN, hosts when DOWN or UNREACHABLE.</p>
<table class="availability"><thead><tr><th>Host</th><th>Service</th><th>SLA</th><th>Time in state</th><th>Unplanned outage</th><th>Downtime</th><th>Outages</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One line per object: host, service, SLA %, seconds in each state, outages, downtime. */
export function reportCsv(r: AvailabilityReport): string {
  const lines = [
    'environment,host,service,sla_percent,ok_or_up_s,warning_or_down_s,critical_or_unreachable_s,unknown_s,outages,unplanned_outage_s,downtime_s,not_monitored_s',
  ];
  for (const a of r.rows) {
    const t = (code: number) => Math.round((a.timeInState[code] ?? 0) / 1000);
    lines.push(
      [
        r.environment,
        a.object.host,
        a.object.kind === 'service' ? a.object.name : '',
        a.slaPercent,
        t(0),
        t(1),
        t(2),
        t(3),
        a.outages.length,
        Math.round(a.unplannedOutageMs / 1000),
        Math.round(a.downtimeMs / 1000),
        Math.round(a.undeterminedMs / 1000),
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A standalone printable page (for the PDF). */
export function reportDocument(r: AvailabilityReport, deployment: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Availability ${esc(deployment)} ${esc(r.environment)}</title>
<style>body{font:11px/1.4 system-ui,sans-serif;margin:1.5cm;color:#111}table{width:100%;border-collapse:collapse}th,td{border-bottom:1px solid #ccc;padding:3px 5px;text-align:left;vertical-align:top}ul{margin:0;padding-left:1em}.num{text-align:right;white-space:nowrap}h1{font-size:18px}</style></head>
<body><h1>Steward · ${esc(deployment)}</h1>${reportHtml(r)}<p>Generated ${esc(new Date(r.generatedAt).toISOString())}.</p></body></html>`;
}
