// A real OpenID Connect provider on loopback (npm oidc-provider, OpenID-certified), shaped like
// Microsoft Entra ID: a tenant-specific issuer `http://127.0.0.1:<port>/<tenant>/v2.0`, and ID
// tokens that carry the profile claims Entra puts there (`tid`, `oid`, `preferred_username`,
// `name`, `email`, `locale`).
//
// Its built-in development login form accepts any password: the login name picks the account.
// Consent is granted up front, as an Entra admin does for an organisation's app.

import http from 'node:http';
import { randomUUID } from 'node:crypto';
import Provider from 'oidc-provider';

/**
 * Starts a provider with the given accounts.
 * @param {{tenant?: string, clientId: string, clientSecret: string, redirectUri: string,
 *   accounts: Record<string, {oid?: string, email?: string, preferred_username?: string,
 *   name?: string, locale?: string}>}} options
 * @returns {Promise<{issuer: string, tenant: string, stop: () => Promise<void>}>}
 */
export async function startProvider({ tenant = randomUUID(), clientId, clientSecret, redirectUri, accounts }) {
  const server = http.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const prefix = `/${tenant}/v2.0`;
  const issuer = `http://127.0.0.1:${server.address().port}${prefix}`;

  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    pkce: { required: () => true },
    // Entra puts profile claims in the ID token itself.
    conformIdTokenClaims: false,
    claims: {
      openid: ['sub', 'tid', 'oid'],
      email: ['email'],
      profile: ['name', 'preferred_username', 'locale'],
    },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, id) {
      const account = accounts[id];
      if (!account) return undefined;
      const oid = account.oid ?? randomUUID();
      return {
        accountId: id,
        async claims() {
          // Entra's `sub` is pairwise (per application); `oid` is the person in the tenant.
          return { sub: `pairwise-${id}`, tid: tenant, oid, ...account };
        },
      };
    },
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    cookies: { keys: ['e2e-only-cookie-key'] },
  });
  // Accounts that have no `oid` get one, fixed for the provider's life.
  for (const account of Object.values(accounts)) account.oid ??= randomUUID();
  provider.on('server_error', (_ctx, error) => console.error('oidc-provider:', error));

  const handle = provider.callback();
  server.on('request', (req, res) => {
    if (!req.url.startsWith(prefix)) {
      res.statusCode = 404;
      res.end();
      return;
    }
    req.originalUrl = req.url;
    req.url = req.url.slice(prefix.length) || '/';
    handle(req, res);
  });

  return {
    issuer,
    tenant,
    stop: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
