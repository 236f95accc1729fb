// Steward dashboard client: renders each page from /ui/api JSON, stays live through server-sent
// events, no framework. Everything that reaches the DOM as text goes through textContent or esc().
(() => {
  const app = document.getElementById('app');
  const page = app?.dataset.page;
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? '';
  const STATE = { host: ['UP', 'DOWN', 'UNREACHABLE'], service: ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] };
  const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const ago = (t) => {
    if (!t) return '—';
    const s = Math.max(0, Math.round((Date.now() - (typeof t === 'number' ? t : Date.parse(t))) / 1000));
    return s < 90
      ? `${s}s`
      : s < 5400
        ? `${Math.round(s / 60)}m`
        : s < 172800
          ? `${Math.round(s / 3600)}h`
          : `${Math.round(s / 86400)}d`;
  };
  const stateClass = (kind, code) => (kind === 'host' ? `h${code}` : `s${code}`);
  const objectLink = (id) => `/object?id=${encodeURIComponent(id)}`;

  // ---- theme (t) ----
  const root = document.documentElement;
  const saved = localStorage.getItem('steward-theme');
  if (saved) root.dataset.theme = saved;
  const toggleTheme = () => {
    const dark = root.dataset.theme
      ? root.dataset.theme === 'dark'
      : matchMedia('(prefers-color-scheme: dark)').matches;
    root.dataset.theme = dark ? 'light' : 'dark';
    localStorage.setItem('steward-theme', root.dataset.theme);
  };
  document.getElementById('theme')?.addEventListener('click', toggleTheme);
  document.addEventListener('keydown', (e) => {
    if (
      e.target instanceof HTMLInputElement ||
      e.target instanceof HTMLTextAreaElement ||
      e.target instanceof HTMLSelectElement
    )
      return;
    if (e.key === 't') toggleTheme();
    if (e.key === '/') {
      const s = document.querySelector('input[type=search]');
      if (s) {
        e.preventDefault();
        s.focus();
      }
    }
  });

  async function getJson(url) {
    const r = await fetch(url, { headers: { accept: 'application/json' } });
    if (r.status === 401) {
      location.href = '/login';
      throw new Error('signed out');
    }
    if (!r.ok) throw new Error((await r.json().catch(() => ({}))).message ?? `HTTP ${r.status}`);
    return r.json();
  }
  async function act(body) {
    const r = await fetch('/ui/api/action', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body),
    });
    const j = await r.json().catch(() => ({}));
    toast(r.ok ? `${body.action}: done` : `${body.action}: ${j.message ?? r.status}`);
    return r.ok;
  }
  function toast(text) {
    const t = document.createElement('div');
    t.className = 'toast';
    t.setAttribute('role', 'status');
    t.textContent = text;
    document.body.append(t);
    setTimeout(() => t.remove(), 3000);
  }

  // ---- live updates: one EventSource; pages register what to refresh ----
  let refresh = null;
  let pending = null;
  const liveBadge = document.createElement('span');
  liveBadge.className = 'live';
  liveBadge.textContent = 'live';
  liveBadge.id = 'live';
  document.querySelector('.top')?.append(liveBadge);
  function startLive() {
    const es = new EventSource('/ui/api/live');
    es.onopen = () => liveBadge.classList.add('on');
    es.onerror = () => liveBadge.classList.remove('on');
    // Never redraw under the operator's fingers: while a form field of the page has focus (a
    // comment being typed), the refresh waits (the list page keeps its own search box live).
    const typing = () => {
      const el = document.activeElement;
      return (
        page === 'object' &&
        el instanceof HTMLElement &&
        app.contains(el) &&
        el.matches('input, textarea, select')
      );
    };
    const schedule = (ms) => {
      pending = setTimeout(() => {
        pending = null;
        if (typing()) schedule(1000);
        else refresh?.();
      }, ms);
    };
    es.addEventListener('monitoring', () => {
      if (!refresh || pending) return;
      schedule(300);
    });
  }

  // ---- overview ----
  function problemTable(rows, empty) {
    if (!rows.length) return `<p class="muted">${empty}</p>`;
    return `<table class="problems"><thead><tr><th>State</th><th>Host</th><th>Service</th><th>Env</th><th>For</th><th>Output</th></tr></thead><tbody>${rows
      .map(
        (r) =>
          `<tr class="sev${r.severity}"><td><span class="pill ${stateClass(r.kind, r.stateCode)}">${esc(r.state)}</span></td><td><a href="${objectLink(r.host)}">${esc(r.host)}</a></td><td>${r.kind === 'service' ? `<a href="${objectLink(r.id)}">${esc(r.name)}</a>` : '—'}</td><td>${esc(r.environment)}</td><td>${ago(r.since)}</td><td>${esc(r.output)}</td></tr>`,
      )
      .join('')}</tbody></table>`;
  }
  async function overview() {
    const o = await getJson('/ui/api/overview');
    const envs = o.environments
      .map(
        (e) => `<section class="card env"><h3>${esc(e.name)}</h3><div class="counts">
      <span class="pill ${e.problems ? 's2' : 's0'}">${e.problems} unhandled</span>
      <span class="pill">hosts ${e.hosts.total}</span>${e.hosts.down ? `<span class="pill h1">${e.hosts.down} down</span>` : ''}${e.hosts.unreachable ? `<span class="pill h2">${e.hosts.unreachable} unreachable</span>` : ''}
      <span class="pill s0">${e.services.ok} ok</span>${e.services.warning ? `<span class="pill s1">${e.services.warning} warning</span>` : ''}${e.services.critical ? `<span class="pill s2">${e.services.critical} critical</span>` : ''}${e.services.unknown ? `<span class="pill s3">${e.services.unknown} unknown</span>` : ''}${e.services.pending ? `<span class="pill">${e.services.pending} pending</span>` : ''}
      </div></section>`,
      )
      .join('');
    app.innerHTML = `<h1>Problems <span class="muted" id="problem-count">${o.problems.length}</span></h1>
      <section class="card" id="problems">${problemTable(o.problems, 'No unhandled problems.')}</section>
      <div class="grid">${envs}</div>
      <section class="card"><h2>Acknowledged</h2>${problemTable(o.acknowledged, 'None.')}</section>
      <section class="card"><h2>In downtime</h2>${problemTable(o.inDowntime, 'None.')}</section>
      <section class="card"><h2>Flapping</h2>${problemTable(o.flapping, 'None.')}</section>`;
    document.title = `${o.problems.length ? `(${o.problems.length}) ` : ''}Overview · Steward`;
  }

  // ---- hosts / services: filter, search, sort, virtualised rows (instant at 10,000) ----
  async function list(kind) {
    let rows = (await getJson(`/ui/api/objects?kind=${kind}`)).rows;
    const envs = [...new Set(rows.map((r) => r[3]))].sort();
    const params = new URLSearchParams(location.search);
    app.innerHTML = `<h1>${kind === 'host' ? 'Hosts' : 'Services'} <span class="muted" id="count"></span></h1>
      <div class="toolbar"><input type="search" id="q" placeholder="Search host, service, output (/)" aria-label="Search" value="${esc(params.get('q') ?? '')}">
      <select id="env" aria-label="Environment"><option value="">All environments</option>${envs.map((e) => `<option>${esc(e)}</option>`).join('')}</select>
      <select id="state" aria-label="State"><option value="">Any state</option><option value="problems">Problems</option>${STATE[kind].map((s, i) => `<option value="${i}">${s}</option>`).join('')}</select>
      <select id="sort" aria-label="Sort"><option value="state">Worst first</option><option value="name">By name</option><option value="check">Last check</option></select></div>
      <div class="vlist" id="vlist" role="list" tabindex="0"><div id="spacer"></div></div>`;
    const q = document.getElementById('q'),
      envSel = document.getElementById('env'),
      stSel = document.getElementById('state'),
      sortSel = document.getElementById('sort');
    const box = document.getElementById('vlist'),
      spacer = document.getElementById('spacer');
    const ROW = 32;
    let view = [];
    const compute = () => {
      const text = q.value.trim().toLowerCase(),
        env = envSel.value,
        st = stSel.value;
      view = rows.filter(
        (r) =>
          (!env || r[3] === env) &&
          (st === '' || (st === 'problems' ? r[4] !== 0 : r[4] === Number(st))) &&
          (!text || `${r[1]} ${r[2]} ${r[7]}`.toLowerCase().includes(text)),
      );
      const rank = (r) => (kind === 'host' ? (r[4] ? 4 : 0) : ([0, 1, 3, 2][r[4]] ?? 0));
      if (sortSel.value === 'state') view.sort((a, b) => rank(b) - rank(a) || (a[0] < b[0] ? -1 : 1));
      else if (sortSel.value === 'check') view.sort((a, b) => (b[8] ?? 0) - (a[8] ?? 0));
      else view.sort((a, b) => (a[0] < b[0] ? -1 : 1));
      document.getElementById('count').textContent = `${view.length} of ${rows.length}`;
      spacer.style.height = `${view.length * ROW}px`;
      draw(true);
    };
    const draw = (force) => {
      const first = Math.max(0, Math.floor(box.scrollTop / ROW) - 10);
      const last = Math.min(view.length, first + Math.ceil(box.clientHeight / ROW) + 20);
      if (!force && draw.first === first && draw.last === last) return;
      draw.first = first;
      draw.last = last;
      let html = '';
      for (let i = first; i < last; i++) {
        const r = view[i];
        const flags = r[9]
          ? ` <span class="muted">${r[9].includes('a') ? 'ack ' : ''}${r[9].includes('d') ? 'downtime ' : ''}${r[9].includes('f') ? 'flapping' : ''}${r[9].includes('p') ? 'pending' : ''}</span>`
          : '';
        html += `<a class="vrow" role="listitem" style="top:${i * ROW}px" href="${objectLink(r[0])}"><span class="pill ${stateClass(kind, r[4])}">${esc(r[5])}${r[6] === 'SOFT' ? ' (soft)' : ''}</span><span>${esc(r[1])}</span><span>${kind === 'service' ? esc(r[2]) : esc(r[3])}</span><span>${kind === 'service' ? esc(r[3]) : ago(r[8])}</span><span>${esc(r[7])}${flags}</span></a>`;
      }
      spacer.innerHTML = html;
    };
    box.addEventListener('scroll', () => requestAnimationFrame(() => draw(false)), { passive: true });
    for (const el of [q, envSel, stSel, sortSel]) el.addEventListener('input', compute);
    compute();
    refresh = async () => {
      rows = (await getJson(`/ui/api/objects?kind=${kind}`)).rows;
      compute();
    };
  }

  // ---- one host or service ----
  function timeline(history) {
    const now = Date.now();
    const from = now - 7 * 86400000;
    // HARD state changes, oldest first; before the first one the object was OK/UP.
    const points = history.filter((h) => h[2]).sort((a, b) => a[0] - b[0]);
    let t = from;
    let state = 0;
    const parts = [];
    for (const [time, s] of points) {
      if (time > t) parts.push([t, time, state]);
      t = Math.max(t, time);
      state = s;
    }
    parts.push([t, now, state]);
    return `<div class="timeline" role="img" aria-label="HARD states over the last 7 days">${parts.map(([a, b, s]) => `<div class="b${s}" style="width:${((b - a) / (now - from)) * 100}%" title="${new Date(a).toISOString()} → ${new Date(b).toISOString()}"></div>`).join('')}</div>`;
  }
  async function object() {
    const id = new URLSearchParams(location.search).get('id') ?? '';
    const d = await getJson(`/ui/api/object?id=${encodeURIComponent(id)}`);
    const v = d.view;
    const title = d.kind === 'host' ? v.name : `${v.host} / ${v.name}`;
    app.innerHTML = `<h1>${esc(title)} <span class="pill ${stateClass(d.kind, v.stateCode)}" id="state">${esc(v.state)}</span> <span class="muted">${esc(v.stateType)} ${v.attempt}/${v.maxAttempts} · ${esc(v.environment)}</span></h1>
      <section class="card"><pre id="output">${esc(v.output)}${v.longOutput ? `\n${esc(v.longOutput)}` : ''}</pre>
      <p class="muted">Last check ${ago(v.lastCheck)} ago · next ${v.nextCheck ? new Date(v.nextCheck).toLocaleTimeString() : '—'} · changed ${ago(v.lastStateChange)} ago${v.acknowledged ? ` · <strong>acknowledged</strong> by ${esc(v.acknowledgement.author)}: ${esc(v.acknowledgement.comment)}` : ''}${v.inDowntime ? ' · <strong>in downtime</strong>' : ''}${v.flapping ? ' · <strong>flapping</strong>' : ''}</p>
      ${v.perfdata?.length ? `<table><thead><tr><th>Perfdata</th><th>Value</th><th>Warn</th><th>Crit</th></tr></thead><tbody>${v.perfdata.map((p) => `<tr><td>${esc(p.label)}</td><td>${esc(p.value)}${esc(p.uom ?? '')}</td><td>${esc(p.warn ?? '')}</td><td>${esc(p.crit ?? '')}</td></tr>`).join('')}</tbody></table>` : ''}
      <h3>Last 7 days</h3>${timeline(d.history)}</section>
      <section class="card actions"><h2>Actions</h2>
        <form data-action="ack"><input name="comment" placeholder="Acknowledgement comment" aria-label="Acknowledgement comment" required><label><input type="checkbox" name="sticky"> sticky</label><button>Acknowledge</button></form>
        ${v.acknowledged ? '<form data-action="unack"><button class="ghost">Remove acknowledgement</button></form>' : ''}
        <form data-action="downtime"><input name="duration" value="2h" size="5" aria-label="Downtime duration"><input name="comment" placeholder="Downtime reason" aria-label="Downtime reason" required>${d.kind === 'host' ? '<label><input type="checkbox" name="includeServices" checked> with services</label>' : ''}<button>Schedule downtime</button></form>
        <form data-action="silence"><input name="duration" value="2h" size="5" aria-label="Silence duration"><input name="comment" placeholder="Why silence notifications" aria-label="Silence reason"><button class="ghost">Silence notifications</button></form>
        <form data-action="recheck"><button class="ghost">Recheck now</button></form>
        <form data-action="comment"><input name="comment" placeholder="Comment" aria-label="Comment" required><button class="ghost">Add comment</button></form></section>
      ${d.services.length ? `<section class="card"><h2>Services</h2><table><tbody>${d.services.map((s) => `<tr><td><span class="pill s${s.state}">${STATE.service[s.state]}</span></td><td><a href="${objectLink(s.id)}">${esc(s.name)}</a></td><td>${esc(s.output)}</td></tr>`).join('')}</tbody></table></section>` : ''}
      <section class="card" id="graphs"><h2>Graphs</h2><p><a class="button" id="host-graphs" href="/graphs?host=${encodeURIComponent(v.host ?? v.name)}">All graphs of ${esc(v.host ?? v.name)}: CPU, memory, disk, network…</a></p>${d.series.length ? '' : '<p class="muted">No perfdata of this check yet.</p>'}</section>
      <section class="card"><h2>Downtimes</h2>${d.downtimes.length ? `<ul>${d.downtimes.map((x) => `<li>${esc(x.start)} → ${esc(x.end)} by ${esc(x.author)}: ${esc(x.comment)}${x.inEffect ? ' <strong>(in effect)</strong>' : ''}</li>`).join('')}</ul>` : '<p class="muted">None.</p>'}</section>
      <section class="card"><h2>Comments</h2>${d.comments.length ? `<ul>${d.comments.map((c) => `<li>${esc(c.time)} ${esc(c.author)}: ${esc(c.text)}</li>`).join('')}</ul>` : '<p class="muted">None.</p>'}</section>
      <section class="card"><h2>Events</h2><table><tbody>${d.events
        .slice(0, 50)
        .map(
          (e) =>
            `<tr><td>${esc(e.time)}</td><td>${esc(e.type)}${e.hard ? ' (HARD)' : ''}</td><td>${e.state === undefined ? '' : esc(STATE[d.kind][e.state] ?? e.state)}</td><td>${esc(e.output ?? e.comment ?? '')}</td></tr>`,
        )
        .join('')}</tbody></table></section>`;
    for (const form of app.querySelectorAll('form[data-action]')) {
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        const f = new FormData(form);
        const body = { action: form.dataset.action, id };
        for (const [k, val] of f) body[k] = k === 'sticky' || k === 'includeServices' ? true : val;
        if (await act(body)) await object();
      });
    }
    if (d.series.length) graphs(document.getElementById('graphs'), [{ title: title, series: d.series }]);
    refresh = object;
  }

  // ---- graphs (uPlot): 1h … 1y from the right rollup, drag to zoom, several series per graph ----
  let graphRange = '1h';
  const RANGES = {
    '1h': 3600e3,
    '24h': 86400e3,
    '7d': 7 * 86400e3,
    '30d': 30 * 86400e3,
    '1y': 365 * 86400e3,
  };
  const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d'];
  const round = (v) =>
    Math.abs(v) >= 100 ? Math.round(v) : Math.abs(v) >= 10 ? v.toFixed(1) : +v.toFixed(2);
  // Values in their unit, scaled: bytes in binary multiples (as df and free print them), bits in decimal.
  function fmt(v, unit) {
    if (v === null || v === undefined || !Number.isFinite(v)) return '—';
    const scaled = (base, prefixes, suffix) => {
      let i = 0;
      let x = v;
      while (Math.abs(x) >= base && i < prefixes.length - 1) {
        x /= base;
        i++;
      }
      return `${round(x)} ${prefixes[i]}${suffix}`;
    };
    if (unit === '%') return `${round(v)}%`;
    if (unit === 'B' || unit === 'B/s') return scaled(1024, ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi'], unit);
    if (unit === 'b/s') return scaled(1000, ['', 'k', 'M', 'G', 'T'], 'b/s');
    if (unit === 's') {
      const a = Math.abs(v);
      return a < 1 && a > 0
        ? `${round(v * 1000)} ms`
        : a < 120
          ? `${round(v)} s`
          : a < 7200
            ? `${round(v / 60)} min`
            : `${round(v / 3600)} h`;
    }
    return scaled(1000, ['', 'k', 'M', 'G', 'T'], unit ? ` ${unit}` : '').trim();
  }
  function graphs(container, groups) {
    // Kept across live re-renders of the page, so a chosen range stays chosen.
    let range = graphRange;
    const bar = document.createElement('div');
    bar.className = 'toolbar ranges';
    bar.innerHTML =
      Object.keys(RANGES)
        .map(
          (r) =>
            `<button type="button" class="ghost" data-range="${r}" aria-pressed="${r === range}">${r}</button>`,
        )
        .join('') + '<span class="muted">Drag on a graph to zoom; double-click to reset.</span>';
    container.append(bar);
    const holder = document.createElement('div');
    container.append(holder);
    const plots = [];
    let generation = 0;
    const drawOne = async (g, box, from, to, mine) => {
      const lines = (g.lines ?? g.series).slice(0, 24);
      const unit = g.unit ?? lines[0]?.unit ?? '';
      // A formula line (node exporter CPU %, disk %…) is sent whole; the server reads its series.
      const param = (l) =>
        l.of
          ? `line=${encodeURIComponent(JSON.stringify({ key: l.key, of: l.of }))}`
          : `${l.rate ? 'rate' : 'key'}=${encodeURIComponent(l.key)}`;
      const qs = lines.map(param).join('&');
      const r = await getJson(`/ui/api/range?${qs}&from=${from}&to=${to}`);
      if (mine !== generation) return;
      // In the graph's order (the answer lists plain series before formula lines).
      r.series = lines.flatMap((l) => r.series.filter((s) => s.key === l.key));
      const times = [...new Set(r.series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
      const data = [times.map((t) => t / 1000)];
      let points = 0;
      for (const s of r.series) {
        const m = new Map(s.points.map((p) => [p[0], p[1]]));
        points += s.points.length;
        data.push(times.map((t) => m.get(t) ?? null));
      }
      const resolution = r.series[0]?.resolution ?? 'no data';
      box.dataset.points = String(points);
      box.dataset.resolution = resolution;
      box.setAttribute('aria-label', `${g.title}: ${lines.map((l) => l.label).join(', ')} (${resolution})`);
      const color = getComputedStyle(document.body).color;
      const plot = new uPlot(
        {
          title: `${g.title}${unit ? ` (${unit})` : ''} · ${resolution}`,
          width: Math.max(280, Math.min(container.clientWidth - 20, 1200)),
          height: 220,
          series: [
            {},
            ...r.series.map((s, i) => ({
              label: lines.find((l) => l.key === s.key)?.label ?? s.key,
              stroke: COLORS[i % COLORS.length],
              spanGaps: true,
              value: (_u, v) => fmt(v, unit),
            })),
          ],
          axes: [
            { stroke: color },
            { stroke: color, size: 70, values: (_u, splits) => splits.map((v) => fmt(v, unit)) },
          ],
          hooks: {
            setSelect: [
              (u) => {
                if (u.select.width > 5) {
                  const a = u.posToVal(u.select.left, 'x') * 1000,
                    b = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
                  draw(Math.floor(a), Math.ceil(b));
                }
              },
            ],
          },
          cursor: { drag: { x: true, y: false, setScale: false } },
          scales: {
            x: { time: true, range: () => [from / 1000, to / 1000] },
            ...(g.max ? { y: { range: (_u, _min, max) => [0, Math.max(g.max, max ?? 0)] } } : {}),
          },
        },
        data,
        box,
      );
      box.addEventListener('dblclick', () => select(range));
      plots.push(plot);
    };
    const draw = async (from, to) => {
      const mine = ++generation;
      for (const p of plots.splice(0)) p.destroy();
      holder.textContent = '';
      let section = null;
      const jobs = [];
      for (const g of groups) {
        if (g.section && g.section !== section) {
          section = g.section;
          const h = document.createElement('h3');
          h.textContent = section;
          holder.append(h);
        }
        const box = document.createElement('div');
        box.className = 'graph';
        box.setAttribute('role', 'img');
        if (g.id) box.dataset.graph = g.id;
        holder.append(box);
        jobs.push(drawOne(g, box, from, to, mine));
      }
      await Promise.all(jobs);
    };
    const select = (r) => {
      range = r;
      graphRange = r;
      for (const b of bar.querySelectorAll('button'))
        b.setAttribute('aria-pressed', String(b.dataset.range === r));
      const now = Date.now();
      return draw(now - RANGES[r], now);
    };
    bar.addEventListener('click', (e) => {
      const r = e.target.closest('button')?.dataset.range;
      if (r) select(r);
    });
    return select(range);
  }
  // Cacti's graph tree, per environment → role → host; a host's graphs beside it.
  async function graphsPage() {
    const params = new URLSearchParams(location.search);
    const host = params.get('host') ?? '';
    const branch = { environment: params.get('environment') ?? '', role: params.get('role') ?? '' };
    const tree = await getJson('/ui/api/graph-tree');
    const hostLink = (h) =>
      `<li><a href="/graphs?host=${encodeURIComponent(h)}"${h === host ? ' aria-current="page"' : ''}>${esc(h)}</a></li>`;
    const roleLink = (e, r) => {
      const here = e === branch.environment && r === branch.role;
      return `<a class="role" href="/graphs?environment=${encodeURIComponent(e)}&role=${encodeURIComponent(r)}"${here ? ' aria-current="page"' : ''} title="The same graph of every host of ${esc(r)}">${esc(r)}</a>`;
    };
    const treeHtml = tree.environments
      .map(
        (e) =>
          `<details open><summary>${esc(e.name)}</summary>${e.roles
            .map(
              (r) =>
                `<details${r.hosts.includes(host) || r.hosts.length <= 20 ? ' open' : ''}><summary>${roleLink(e.name, r.name)} <span class="muted">${r.hosts.length}</span></summary><ul>${r.hosts.map(hostLink).join('')}</ul></details>`,
            )
            .join('')}</details>`,
      )
      .join('');
    app.innerHTML = `<h1>Graphs</h1><div class="graph-layout"><nav class="card tree" aria-label="Hosts by environment and role"><input type="search" id="tree-q" placeholder="Filter hosts (/)" aria-label="Filter hosts">${treeHtml || '<p class="muted">No hosts.</p>'}</nav><section class="card" id="g"></section></div>`;
    const q = document.getElementById('tree-q');
    q.addEventListener('input', () => {
      const text = q.value.trim().toLowerCase();
      for (const li of app.querySelectorAll('.tree li'))
        li.hidden = !!text && !li.textContent.toLowerCase().includes(text);
      if (text) for (const d of app.querySelectorAll('.tree details')) d.open = true;
    });
    const g = document.getElementById('g');
    if (host) return hostGraphsView(g, host);
    if (branch.environment && branch.role) return roleGraphsView(g, branch, params.get('graph') ?? 'summary');
    g.innerHTML =
      '<p class="muted">Choose a host: its CPU, load, memory, disks, network, JVM, checks and exporter metrics, each over 1 hour to 1 year. Choose a role: the same graph of each of its hosts.</p>';
  }
  async function hostGraphsView(g, host) {
    const d = await getJson(`/ui/api/graphs?host=${encodeURIComponent(host)}`);
    g.innerHTML = `<h2>${esc(d.environment)} / ${esc(d.host)} <span class="muted">${esc(d.roles.join(', '))}</span></h2><p class="muted"><a href="${objectLink(d.host)}">Host page</a> · ${d.series} series in ${d.graphs.length} graphs</p>`;
    document.title = `${d.host} · Graphs · Steward`;
    if (d.graphs.length) await graphs(g, d.graphs);
    else g.insertAdjacentHTML('beforeend', '<p class="muted">No metrics stored for this host yet.</p>');
  }
  async function roleGraphsView(g, branch, graph) {
    const qs = `environment=${encodeURIComponent(branch.environment)}&role=${encodeURIComponent(branch.role)}`;
    const d = await getJson(`/ui/api/role-graphs?${qs}&graph=${encodeURIComponent(graph)}`);
    const choice = (c) =>
      `<a class="button${c === d.graph ? '' : ' ghost'}" href="/graphs?${qs}&graph=${c}"${c === d.graph ? ' aria-current="page"' : ''}>${c}</a>`;
    g.innerHTML = `<h2>${esc(d.environment)} / ${esc(d.role)} <span class="muted">${d.hosts} host${d.hosts === 1 ? '' : 's'}</span></h2><p class="toolbar graph-choice">${d.choices.map(choice).join('')}</p>${d.left ? `<p class="muted">The first ${d.hosts - d.left} hosts; ${d.left} more: open them from the tree.</p>` : ''}${d.without.length ? `<p class="muted">No ${esc(d.graph)} data: ${d.without.map(esc).join(', ')}</p>` : ''}`;
    document.title = `${d.role} · Graphs · Steward`;
    if (d.graphs.length) await graphs(g, d.graphs);
  }

  // ---- audit (admins) ----
  async function auditPage() {
    // source: `local` (this server) or a bastion whose steward gateway ships its events here
    const source = new URLSearchParams(location.search).get('source') ?? '';
    const qs = source ? `&source=${encodeURIComponent(source)}` : '';
    const { entries, sources = [] } = await getJson(`/ui/api/audit?limit=500${qs}`);
    app.innerHTML = `<h1>Audit log</h1><form class="toolbar" method="get" action="/audit"><label>Source <select name="source"><option value="">all</option>${sources.map((s) => `<option${s === source ? ' selected' : ''}>${esc(s)}</option>`).join('')}</select></label><button>Show</button>
      <a class="button" href="/ui/api/audit?format=csv&limit=100000${qs}" download>Export CSV</a></form>
      <section class="card"><table id="audit"><thead><tr><th>Time</th><th>Source</th><th>Who</th><th>Action</th><th>Target</th><th>Outcome</th><th>From</th><th>Details</th></tr></thead><tbody>${entries
        .map(
          (e) =>
            `<tr><td>${esc(e.time)}</td><td>${esc(e.source ?? 'local')}</td><td>${esc(e.actor)}</td><td>${esc(e.action)}</td><td>${esc(e.target)}</td><td class="${e.outcome === 'ok' ? 's0' : 's2'}">${esc(e.outcome)}</td><td>${esc(e.ip)}</td><td>${esc(JSON.stringify(e.details))}</td></tr>`,
        )
        .join('')}</tbody></table></section>`;
  }

  // ---- reports ----
  async function reportsPage() {
    const p = new URLSearchParams(location.search);
    const env = p.get('environment') ?? '';
    const overviewData = await getJson('/ui/api/overview');
    const now = new Date(),
      monthAgo = new Date(Date.now() - 30 * 86400e3);
    const from = p.get('from') ?? monthAgo.toISOString().slice(0, 10),
      to = p.get('to') ?? now.toISOString().slice(0, 10);
    app.innerHTML = `<h1>Availability report</h1><form class="toolbar" method="get" action="/reports">
      <label>Environment <select name="environment">${overviewData.environments.map((e) => `<option${e.name === env ? ' selected' : ''}>${esc(e.name)}</option>`).join('')}</select></label>
      <label>From <input type="date" name="from" value="${esc(from)}"></label><label>To <input type="date" name="to" value="${esc(to)}"></label><button>Show</button></form><section id="report" class="card"></section>`;
    const chosen = env || overviewData.environments[0]?.name;
    if (!chosen) return;
    const qs = `environment=${encodeURIComponent(chosen)}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const r = await fetch(`/ui/api/report?${qs}&format=html`);
    document.getElementById('report').innerHTML = r.ok
      ? `<p><a class="button" href="/ui/api/report?${qs}&format=csv" download>CSV</a></p>${await r.text()}`
      : `<p class="error">${esc((await r.json().catch(() => ({}))).message ?? r.status)}</p>`;
  }

  const PAGES = {
    overview,
    hosts: () => list('host'),
    services: () => list('service'),
    object,
    graphs: graphsPage,
    audit: auditPage,
    reports: reportsPage,
  };
  const run = PAGES[page];
  if (!run) return;
  if (page === 'overview') refresh = overview;
  run()
    .then(() => {
      app.dataset.ready = 'true';
      startLive();
    })
    .catch((err) => {
      app.innerHTML = `<p class="error" role="alert">${esc(err.message)}</p>`;
    });
})();
