// Single sign-on end to end: two organisations, each with its own OpenID provider (npm
// oidc-provider on loopback, with Entra-like tenant issuers and claims), one hubnet.
// - A State Digital Office employee signs in for the first time through her agency's provider:
//   hubnet creates her in the right organisation, in Finnish (her `locale`), and she books a desk.
// - A Region Jämtland Härjedalen employee does the same through the region's provider, in Swedish.
// - Maija, imported before SSO, is linked to her existing account rather than duplicated.
// - An address of another organisation's domain is refused at the agency's provider.
// - Signing out ends the session.
// - A person deactivated through SCIM provisioning cannot sign in any more.
// - The platform admin reads an organisation's providers on the single sign-on page in fi, sv and
//   en (WCAG 2.1 AA), without their secret.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { checkA11y } from '../lib/a11y.mjs';
import { launchBrowser } from '../lib/browser.mjs';
import { checkPage, chooseLanguage, signIn } from '../lib/pages.mjs';
import { hubnetBin, startHubnet } from '../lib/hubnet.mjs';
import { startProvider } from '../lib/oidc.mjs';
import { saveScreenshot } from '../lib/screenshots.mjs';

let hubnet;
let browser;
let agencyIdp;
let regionIdp;
let token;
let agency;

/** The JSON API as the platform admin. */
async function api(method, path, body) {
  const response = await fetch(`${hubnet.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

before(async () => {
  hubnet = await startHubnet();
  const redirectUri = `${hubnet.url}/sign-in/sso/callback`;
  agencyIdp = await startProvider({
    clientId: 'hubnet-vdt',
    clientSecret: 'vdt-secret',
    redirectUri,
    accounts: {
      sari: { preferred_username: 'sari.saarinen@vdt.example', email: 'sari.saarinen@vdt.example', name: 'Sari Saarinen', locale: 'fi-FI' },
      maija: { preferred_username: 'maija.virtanen@vdt.example', name: 'Maija Virtanen', locale: 'fi-FI' },
      stranger: { preferred_username: 'stranger@regionjh.example', name: 'Stranger', locale: 'en-GB' },
    },
  });
  regionIdp = await startProvider({
    clientId: 'hubnet-rjh',
    clientSecret: 'rjh-secret',
    redirectUri,
    accounts: {
      karin: { preferred_username: 'karin.berg@regionjh.example', name: 'Karin Berg', locale: 'sv-SE' },
    },
  });
  // A platform admin's token, issued the way an operator does it, on the server's database.
  const issued = await promisify(execFile)(hubnetBin, ['token', 'issue', '--database-url', hubnet.databaseUrl, '--email', 'admin@hubnet.example', '--label', 'e2e'], { env: { PATH: process.env.PATH } });
  token = issued.stdout.trim();
  const organisations = await api('GET', '/organisations');
  const id = (code) => organisations.find((o) => o.code === code).id;
  agency = id('vdt');
  await api('POST', `/organisations/${id('vdt')}/identity-providers`, {
    name: 'Valtion digitalisaatiovirasto (Entra ID)', issuer: agencyIdp.issuer, client_id: 'hubnet-vdt', client_secret: 'vdt-secret', email_domains: ['vdt.example'],
  });
  await api('POST', `/organisations/${id('regionjh')}/identity-providers`, {
    name: 'Region Jämtland Härjedalen (Entra ID)', issuer: regionIdp.issuer, client_id: 'hubnet-rjh', client_secret: 'rjh-secret', email_domains: ['regionjh.example'],
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await agencyIdp?.stop();
  await regionIdp?.stop();
  await hubnet?.stop();
});

/** Signs in through the organisation's provider with the button on hubnet's sign-in page. */
async function signInThrough(page, providerName, login) {
  await page.goto(`${hubnet.url}/sign-in`);
  await checkA11y(page, 'sign-in with providers');
  await page.getByRole('link', { name: providerName }).click();
  // The provider's own (development) login form.
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.locator('button[type="submit"]').click();
}

/** Books the first free desk of the person's organisation's site on a free day next week. */
async function bookNextWeek(page, siteCode, bookLabel) {
  const days = page.locator('section.week').nth(1).locator('li.day a[href*="date="]');
  const date = new URL(await days.first().getAttribute('href'), hubnet.url).searchParams.get('date');
  const sites = await api('GET', '/sites?limit=1000');
  const site = sites.find((s) => s.code === siteCode);
  assert.ok(site, `no site ${siteCode}`);
  await page.goto(`${hubnet.url}/sites/${site.id}?date=${date}`);
  await page.locator('table').getByRole('button', { name: bookLabel }).first().click();
  await page.waitForURL(/\/week\?notice=booked/);
  return date;
}

test('an agency employee signs in through her agency\'s provider for the first time, in Finnish, and books', async () => {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  try {
    await signInThrough(page, 'Valtion digitalisaatiovirasto (Entra ID)', 'sari');
    await page.waitForURL(/\/week/);
    // Created from the provider's claims: her name, and Finnish from `locale: fi-FI`.
    assert.equal(await page.locator('html').getAttribute('lang'), 'fi');
    assert.match(await page.locator('header').innerText(), /Sari Saarinen/);
    await checkA11y(page, 'my week after single sign-on (fi)');
    await saveScreenshot(page, 'sso-week-fi');

    await bookNextWeek(page, 'vdt-helsinki', 'Varaa');
    assert.match(await page.locator('.hds-notification').innerText(), /^Varattu:/);

    // Signing out ends the session: My week asks to sign in again.
    await page.getByRole('button', { name: 'Kirjaudu ulos' }).click();
    await page.waitForURL(/\/sign-in/);
    await page.goto(`${hubnet.url}/week`);
    await page.waitForURL(/\/sign-in/);

    // Signing in again is the same person: the booking is still hers. The provider remembers
    // her (its own session), so it sends her straight back without a form, as Entra does.
    await page.goto(`${hubnet.url}/sign-in`);
    await page.getByRole('link', { name: 'Valtion digitalisaatiovirasto (Entra ID)' }).click();
    await page.waitForURL(/\/week/);
    assert.ok(await page.locator('section.week li.booking').count() >= 1, 'her booking is on My week');
  } finally {
    await context.close();
  }
});

test('a region employee signs in through the region\'s provider, in Swedish, and books', async () => {
  const context = await browser.newContext({ locale: 'fi-FI' });
  const page = await context.newPage();
  try {
    await signInThrough(page, 'Region Jämtland Härjedalen (Entra ID)', 'karin');
    await page.waitForURL(/\/week/);
    assert.equal(await page.locator('html').getAttribute('lang'), 'sv');
    assert.match(await page.locator('header').innerText(), /Karin Berg/);
    await checkA11y(page, 'my week after single sign-on (sv)');
    await bookNextWeek(page, 'regionens-hus', 'Boka');
    assert.match(await page.locator('.hds-notification').innerText(), /^Bokat:/);
  } finally {
    await context.close();
  }
});

test('a person imported before single sign-on is linked to her account, not duplicated', async () => {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  try {
    await signInThrough(page, 'Valtion digitalisaatiovirasto (Entra ID)', 'maija');
    await page.waitForURL(/\/week/);
    assert.match(await page.locator('header').innerText(), /Maija Virtanen/);
    // Her home municipality came from the import, so Find offers "near home": the same account.
    await page.goto(`${hubnet.url}/find`);
    assert.equal(await page.locator('input[name="near"][value="home"]').isChecked(), true);
  } finally {
    await context.close();
  }
});

test('an address of another organisation is refused at the agency\'s provider, with the reason', async () => {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  try {
    await signInThrough(page, 'Valtion digitalisaatiovirasto (Entra ID)', 'stranger');
    await page.waitForURL(/\/sign-in\/sso\/callback/);
    const text = await page.locator('main').innerText();
    assert.match(text, /regionjh\.example/);
    assert.match(text, /sso_domain_not_allowed/);
    await checkA11y(page, 'refused single sign-on');
    // Nobody was signed in.
    await page.goto(`${hubnet.url}/week`);
    await page.waitForURL(/\/sign-in/);
  } finally {
    await context.close();
  }
});

test('a person the organisation deprovisioned through SCIM cannot sign in through single sign-on', async () => {
  // The agency's provisioning (as Entra ID does it): find Maija by userName, deactivate her.
  const organisations = await api('GET', '/organisations');
  const vdt = organisations.find((o) => o.code === 'vdt').id;
  const { token: scimToken } = await api('POST', `/organisations/${vdt}/scim-token`);
  const scim = async (method, path, body) => {
    const response = await fetch(`${hubnet.url}/scim/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${scimToken}`, 'content-type': 'application/scim+json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.ok(response.ok, `${method} ${path}: ${response.status}`);
    return response.json();
  };
  const found = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "maija.virtanen@vdt.example"')}`);
  assert.equal(found.totalResults, 1);
  await scim('PATCH', `/Users/${found.Resources[0].id}`, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
  });

  const context = await browser.newContext({ locale: 'sv-SE' });
  const page = await context.newPage();
  try {
    await signInThrough(page, 'Valtion digitalisaatiovirasto (Entra ID)', 'maija');
    await page.waitForURL(/\/sign-in\/sso\/callback/);
    assert.match(await page.locator('main').innerText(), /account_deactivated/);
    await checkA11y(page, 'deactivated account');
    await page.goto(`${hubnet.url}/week`);
    await page.waitForURL(/\/sign-in/);
  } finally {
    await context.close();
  }
});

test('the single sign-on page lists the providers without their secret in fi, sv and en', async () => {
  const { context, page } = await signIn(browser, hubnet.url, 'admin@hubnet.example', 'en-GB');
  try {
    for (const lang of ['fi', 'sv', 'en']) {
      await chooseLanguage(page, lang);
      await page.goto(`${hubnet.url}/admin/sso?organisation=${agency}`);
      await page.getByRole('cell', { name: 'Valtion digitalisaatiovirasto (Entra ID)' }).waitFor();
      assert.ok((await page.content()).includes(`${hubnet.url}/sign-in/sso/callback`));
      assert.ok(!(await page.content()).includes('vdt-secret'));
      await checkPage(page, lang, 'sso admin');
      await saveScreenshot(page, `sso-admin-${lang}`);
    }
  } finally {
    await context.close();
  }
});
