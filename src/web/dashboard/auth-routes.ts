import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { base32Decode, generateTotpSecret, totpUri, verifyTotp } from '../../auth/index.ts';
import { audit } from '../audit/audit-log.ts';
import { csrfOk } from '../sessions/sessions.ts';
import { generateRecoveryCodes } from '../users/recovery-codes.ts';
import type { DashboardContext } from './context.ts';
import { esc, shell } from './html.ts';
import { qrSvg } from './qr.ts';

type Form = Record<string, string | undefined>;

function loginPage(message?: string): string {
  return shell({
    title: 'Sign in',
    body: `<section class="card narrow"><h1>Steward</h1>${message ? `<p class="error" role="alert">${esc(message)}</p>` : ''}
<form method="post" action="/login" class="stack" autocomplete="on">
<label>User <input name="user" autocomplete="username" required autofocus></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<label>Code from your authenticator app (or a recovery code) <input name="code" inputmode="numeric" autocomplete="one-time-code"></label>
<button type="submit">Sign in</button></form>
<p class="hint">First sign-in: leave the code empty; you will enrol your authenticator next.</p></section>`,
  });
}

/**
 * A form post from another site is refused (login CSRF): browsers say where a request comes from
 * in Sec-Fetch-Site, older ones in Origin. Clients that send neither (curl, tests) are not browsers
 * a third-party page could drive.
 */
function sameOrigin(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin' || site === 'none';
  const origin = req.headers.origin;
  return origin === undefined || origin === `https://${req.headers.host}`;
}

export function authRoutes(app: FastifyInstance, ctx: DashboardContext): void {
  const issuer = `Steward ${ctx.engine.deployment.name}`;

  app.get('/login', async (req, reply) => {
    const s = ctx.sessions.read(req);
    if (s?.record.stage === 'full') return reply.redirect('/', 303);
    return reply.type('text/html; charset=utf-8').send(loginPage());
  });

  app.post<{ Body: Form }>('/login', async (req, reply) => {
    const f = req.body ?? {};
    if (!sameOrigin(req)) {
      audit(ctx.store, {
        actor: '-',
        action: 'login_failed',
        target: String(f.user ?? ''),
        outcome: 'refused',
        ip: req.ip,
        details: { reason: 'cross-site form' },
      });
      return reply
        .code(403)
        .type('text/html; charset=utf-8')
        .send(loginPage('This form must be sent from the Steward page itself.'));
    }
    const r = await ctx.login.login(
      String(f.user ?? ''),
      String(f.password ?? ''),
      String(f.code ?? ''),
      req.ip,
    );
    if (!r.ok) return reply.code(r.status).type('text/html; charset=utf-8').send(loginPage(r.message));
    ctx.sessions.destroy(req, reply, false);
    ctx.sessions.create(reply, r.user, r.enrol ? 'password' : 'full', req.ip);
    return reply.redirect(r.enrol ? '/enrol' : '/', 303);
  });

  app.post<{ Body: Form }>('/logout', async (req, reply) => {
    const s = ctx.sessions.read(req);
    if (s && !csrfOk(req, s.record, req.body?._csrf)) {
      audit(ctx.store, {
        actor: s.user.name,
        action: 'logout',
        target: s.user.name,
        outcome: 'refused',
        ip: req.ip,
        details: { reason: 'missing or wrong CSRF token' },
      });
      return reply
        .code(403)
        .send({ statusCode: 403, error: 'Forbidden', message: 'missing or wrong CSRF token' });
    }
    if (s)
      audit(ctx.store, {
        actor: s.user.name,
        action: 'logout',
        target: s.user.name,
        outcome: 'ok',
        ip: req.ip,
      });
    ctx.sessions.destroy(req, reply);
    return reply.redirect('/login', 303);
  });

  const enrolPage = (reply: FastifyReply, secret: string, user: string, csrf: string, message?: string) =>
    reply.type('text/html; charset=utf-8').send(
      shell({
        title: 'Enrol your authenticator',
        body: `<section class="card narrow"><h1>Second factor</h1>${message ? `<p class="error" role="alert">${esc(message)}</p>` : ''}
<p>Scan this code with an authenticator app (TOTP, 6 digits, 30 s), then type the code it shows.</p>
${qrSvg(totpUri(secret, user, issuer))}
<details><summary>Cannot scan? Type the key</summary><code class="secret">${esc(secret.replace(/(.{4})/g, '$1 ').trim())}</code></details>
<form method="post" action="/enrol" class="stack"><input type="hidden" name="_csrf" value="${esc(csrf)}">
<label>Code <input name="code" inputmode="numeric" autocomplete="one-time-code" required autofocus></label>
<button type="submit">Confirm</button></form></section>`,
      }),
    );

  app.get('/enrol', async (req, reply) => {
    const s = ctx.sessions.read(req);
    if (!s) return reply.redirect('/login', 303);
    if (s.record.stage === 'full') return reply.redirect('/', 303);
    let secret = s.user.totpSecret;
    if (!secret || s.user.totpConfirmed) {
      secret = generateTotpSecret();
      ctx.store.updateUser(s.user.name, { totpSecret: secret, totpConfirmed: false, totpLastStep: -1 });
    }
    return enrolPage(reply, secret, s.user.name, s.record.csrfToken);
  });

  app.post<{ Body: Form }>('/enrol', async (req, reply) => {
    const s = ctx.sessions.read(req);
    if (s?.record.stage !== 'password') return reply.redirect('/login', 303);
    if (!csrfOk(req, s.record, req.body?._csrf)) {
      audit(ctx.store, {
        actor: s.user.name,
        action: 'totp_enrol',
        target: s.user.name,
        outcome: 'refused',
        ip: req.ip,
        details: { reason: 'missing or wrong CSRF token' },
      });
      return reply
        .code(403)
        .send({ statusCode: 403, error: 'Forbidden', message: 'missing or wrong CSRF token' });
    }
    const secret = s.user.totpSecret;
    if (!secret) return reply.redirect('/enrol', 303);
    const v = verifyTotp(base32Decode(secret), String(req.body?.code ?? ''), Date.now(), s.user.totpLastStep);
    if (!v.ok) {
      audit(ctx.store, {
        actor: s.user.name,
        action: 'totp_enrol',
        target: s.user.name,
        outcome: 'refused',
        ip: req.ip,
        details: { reason: `${v.reason} TOTP code` },
      });
      return enrolPage(
        reply.code(400),
        secret,
        s.user.name,
        s.record.csrfToken,
        'That code is not right; check the time on your phone and try the next one.',
      );
    }
    const { codes, hashes } = generateRecoveryCodes();
    ctx.store.updateUser(s.user.name, { totpConfirmed: true, totpLastStep: v.step, recoveryCodes: hashes });
    audit(ctx.store, {
      actor: s.user.name,
      action: 'totp_enrol',
      target: s.user.name,
      outcome: 'ok',
      ip: req.ip,
    });
    const full = ctx.sessions.upgrade(req, reply, ctx.store.getUserById(s.user.id)!, req.ip);
    return reply.type('text/html; charset=utf-8').send(
      shell({
        title: 'Recovery codes',
        user: { name: s.user.name, admin: false, csrf: full.csrfToken },
        body: `<section class="card narrow"><h1>Recovery codes</h1><p>Each code signs you in once, in place of the authenticator. Store them somewhere safe: they are shown only now.</p>
<ul class="codes" id="recovery-codes">${codes.map((c) => `<li><code>${c}</code></li>`).join('')}</ul><p><a class="button" href="/">Continue to the dashboard</a></p></section>`,
      }),
    );
  });
}
