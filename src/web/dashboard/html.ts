/** HTML escaping for text and attribute values (the only way data reaches server-rendered HTML). */
export function esc(v: unknown): string {
  return String(v)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export interface ShellOptions {
  title: string;
  body: string;
  /** Signed-in pages: the user bar, navigation and the CSRF token for scripts. */
  user?: { name: string; admin: boolean; csrf: string };
  page?: string;
  scripts?: string[];
}

const NAV: [string, string, boolean][] = [
  ['/', 'Overview', false],
  ['/hosts', 'Hosts', false],
  ['/services', 'Services', false],
  ['/graphs', 'Graphs', false],
  ['/reports', 'Reports', false],
  ['/audit', 'Audit', true],
];

/** The page shell: one stylesheet, no inline script or style (the CSP forbids both). */
export function shell(o: ShellOptions): string {
  const nav = o.user
    ? `<header class="top"><a class="brand" href="/">Steward</a><nav aria-label="Main">${NAV.filter(
        ([, , adminOnly]) => !adminOnly || o.user?.admin,
      )
        .map(
          ([href, label]) =>
            `<a href="${href}"${o.page === label.toLowerCase() ? ' aria-current="page"' : ''}>${label}</a>`,
        )
        .join(
          '',
        )}</nav><span class="spacer"></span><button type="button" id="theme" class="ghost" title="Dark or light (t)">◐</button><span class="who">${esc(o.user.name)}</span><form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${esc(o.user.csrf)}"><button type="submit" class="ghost">Sign out</button></form></header>`
    : '';
  const scripts = (o.scripts ?? []).map((s) => `<script src="${esc(s)}" defer></script>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(o.title)} · Steward</title>${o.user ? `<meta name="csrf-token" content="${esc(o.user.csrf)}">` : ''}
<link rel="stylesheet" href="/assets/app.css"><link rel="stylesheet" href="/assets/uPlot.min.css">${scripts}</head>
<body>${nav}<main id="app"${o.page ? ` data-page="${esc(o.page)}"` : ''} tabindex="-1">${o.body}</main></body></html>`;
}
