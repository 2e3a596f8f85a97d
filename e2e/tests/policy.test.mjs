// Workplace policy end to end, in a real browser against `hubnet serve --demo`:
// - an admin writes Region Jämtland Härjedalen's regional rule on the policy page (starting from
//   the example), and reads it back in words in fi, sv and en;
// - Anna Lindqvist, who lives in Åre 61 km from the region's office in Östersund, is then refused
//   the co-working hub in Järpen, with the rule's reason in fi, sv and en, on the page and in the API;
// - the API ranks her own office first and the hubs last, each with why.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { launchBrowser } from '../lib/browser.mjs';
import { hubnetBin, startHubnet } from '../lib/hubnet.mjs';
import { chooseLanguage, checkPage, freeDaysNextWeek, signIn } from '../lib/pages.mjs';
import { saveScreenshot } from '../lib/screenshots.mjs';

let hubnet;
let browser;
let region;

const ANNA = 'anna.lindqvist@regionjh.example';

// What the policy page and the refusal say in each language.
const SAYS = {
  fi: { saved: 'Uusi versio on tallennettu.', rule: 'Oma toimisto on pakollinen niille, jotka asuvat enintään 70 km:n päässä siitä.',
    refusal: /^Oma toimistosi .+ on 61 km:n päässä kodistasi; yhteistyötilat ovat niille, jotka asuvat yli 70 km:n päässä\.$/ },
  sv: { saved: 'Den nya versionen är sparad.', rule: 'Det egna kontoret krävs för dem som bor högst 70 km därifrån.',
    refusal: /^Ditt eget kontor .+ ligger 61 km från ditt hem; coworkinghubbar är till för dem som bor mer än 70 km bort\.$/ },
  en: { saved: 'The new version is saved.', rule: 'The own office is required for those living within 70 km of it.',
    refusal: /^Your own office .+ is 61 km from your home; co-working hubs are for those living over 70 km away\.$/ },
};

async function token(email) {
  const { stdout } = await promisify(execFile)(hubnetBin, ['token', 'issue', '--database-url', hubnet.databaseUrl, '--email', email, '--label', 'e2e'], { env: { PATH: process.env.PATH } });
  return stdout.trim();
}

async function api(who, path, language = 'en') {
  const response = await fetch(`${hubnet.url}/api/v1${path}`, { headers: { authorization: `Bearer ${who}`, 'accept-language': language } });
  return { status: response.status, body: await response.json() };
}

before(async () => {
  hubnet = await startHubnet();
  browser = await launchBrowser();
  const admin = await token('admin@hubnet.example');
  region = (await api(admin, '/organisations')).body.find((o) => o.code === 'regionjh').id;
});

after(async () => {
  await browser?.close();
  await hubnet?.stop();
});

test('an admin writes the regional rule on the policy page and reads it in fi, sv and en', async () => {
  const { context, page } = await signIn(browser, hubnet.url, 'admin@hubnet.example', 'en-GB');
  try {
    await chooseLanguage(page, 'en');
    await page.getByRole('link', { name: 'Policy' }).click();
    await page.goto(`${hubnet.url}/admin/policy?organisation=${region}`);
    await checkPage(page, 'en', 'policy page without rules');
    await page.getByRole('link', { name: /regional rule of Region Jämtland Härjedalen/ }).click();
    // The example fills the form rule by rule: no JSON to write.
    const rules = page.locator('#policy-form fieldset.policy-rule');
    assert.equal(await rules.count(), 4);
    assert.equal(await page.locator('#r0_legend').innerText(), 'Rule 1: Own office near home');
    assert.equal(await page.getByLabel('Distance from home to the own office (km)').inputValue(), '70');
    assert.equal(await page.locator('#r0_mode').inputValue(), 'require');
    assert.equal(await page.locator('#r1_scope').inputValue(), 'role_tags');
    assert.equal(await page.locator('#r1_scope_values').inputValue(), 'cross-sector coordinator');
    assert.ok(await page.locator('#r1_kinds_coworking_hub').isChecked());
    assert.equal(await page.locator('#r3_max_days').inputValue(), '12');
    assert.ok(await page.locator('#r3_exceptions_allowed').isChecked());
    await checkPage(page, 'en', 'policy form');
    await page.getByRole('button', { name: 'Save as a new version' }).click();
    await page.waitForURL(/notice=saved/);
    for (const lang of ['fi', 'sv', 'en']) {
      await chooseLanguage(page, lang);
      const text = await page.locator('main').innerText();
      assert.ok(text.includes(SAYS[lang].rule), `${lang}: ${text}`);
      await checkPage(page, lang, 'policy page with the regional rule');
      await saveScreenshot(page, `policy-${lang}`);
      // Adding a rule shows the form again with a new, empty rule, and saves nothing.
      await page.locator('#new_rule').selectOption('monthly_budget');
      await page.locator('button[name="add"]').click();
      await page.locator('#r4_amount').waitFor();
      assert.equal(await rules.count(), 5);
      assert.equal(await page.locator('#r0_km').inputValue(), '70');
      await checkPage(page, lang, 'policy form');
      await saveScreenshot(page, `policy-form-${lang}`);
    }
    const saved = await api(await token('admin@hubnet.example'), `/organisations/${region}/policy`);
    assert.equal(saved.body.versions.length, 1);
  } finally {
    await context.close();
  }
});

test('Anna is refused the hub in Järpen with the rule\'s reason, in fi, sv and en, on the page and in the API', async () => {
  const { context, page } = await signIn(browser, hubnet.url, ANNA, 'sv-SE');
  try {
    const link = freeDaysNextWeek(page, 'sv').first();
    const date = new URL(await link.getAttribute('href'), hubnet.url).searchParams.get('date');
    const anna = await token(ANNA);
    const sites = (await api(anna, '/sites?limit=1000')).body;
    const hub = sites.find((s) => s.code === 'hubb-jarpen');
    for (const lang of ['fi', 'sv', 'en']) {
      await chooseLanguage(page, lang);
      await page.goto(`${hubnet.url}/sites/${hub.id}?date=${date}`);
      const register = page.locator(`form[action="/sites/${hub.id}/register"] button`);
      if (await register.count()) {
        await register.click();
        await register.waitFor({ state: 'detached' });
      }
      await page.locator('table').getByRole('button').first().click();
      await page.locator('.error-code').waitFor();
      const message = (await page.locator('.hds-notification__body p').first().innerText()).trim();
      assert.match(message, SAYS[lang].refusal, `${lang}: ${message}`);
      assert.match(await page.locator('main').innerText(), /policy_own_office_required/);
      await checkPage(page, lang, 'a booking refused by the policy');
      await saveScreenshot(page, `policy-refused-${lang}`);

      // The API gives the same reason, and ranks her own office first and the hubs last.
      const ranked = await api(anna, `/recommendations?date=${date}`, lang);
      assert.equal(ranked.status, 200);
      const places = ranked.body.places;
      assert.equal(places[0].kind, 'own_office', JSON.stringify(places[0]));
      assert.equal(places[0].verdict.verdict, 'allowed');
      const jarpen = places.find((p) => p.site_id === hub.id);
      assert.equal(jarpen.verdict.verdict, 'refused');
      assert.match(jarpen.message, SAYS[lang].refusal);
      assert.ok(places.indexOf(jarpen) > places.findIndex((p) => p.kind === 'own_office'));
    }
  } finally {
    await context.close();
  }
});

test('a person gives their home municipality, or a Finnish postal code, on My home, in fi, sv and en', async () => {
  const { context, page } = await signIn(browser, hubnet.url, 'ville.heinonen@heinola.example', 'fi-FI');
  const SAYS = {
    fi: { lahti: 'Kotikuntasi on tallennettu: Lahti.', heinola: 'Kotikuntasi on tallennettu: Heinola.', unknown: 'Postinumeroa 12345 ei ole olemassa.' },
    sv: { lahti: 'Din hemkommun är sparad: Lahtis.', heinola: 'Din hemkommun är sparad: Heinola.', unknown: 'Det finns inget finskt postnummer 12345.' },
    en: { lahti: 'Your home municipality is saved: Lahti.', heinola: 'Your home municipality is saved: Heinola.', unknown: 'There is no Finnish postal code 12345.' },
  };
  const save = async () => {
    await page.locator('main form button[type="submit"]').click();
    await page.waitForLoadState('load');
  };
  try {
    for (const lang of ['fi', 'sv', 'en']) {
      await chooseLanguage(page, lang);
      await page.goto(`${hubnet.url}/me/home`);
      await checkPage(page, lang, 'my home');
      // Lahti from the list: only the municipality is kept.
      await page.locator('#municipality').selectOption('FI-398');
      await save();
      await page.waitForURL(/notice=saved/);
      assert.equal((await page.locator('.hds-notification').innerText()).trim(), SAYS[lang].lahti);
      // A postal code that does not exist comes back as typed, with why, and changes nothing.
      await page.locator('#postal_code').fill('12345');
      await save();
      assert.match(await page.locator('.hds-notification').innerText(), new RegExp(SAYS[lang].unknown));
      assert.equal(await page.locator('#postal_code').inputValue(), '12345');
      assert.equal(await page.locator('#postal_code').getAttribute('aria-invalid'), 'true');
      await checkPage(page, lang, 'my home refused');
      // Heinola's postal code gives Heinola, whatever the list says.
      await page.locator('#postal_code').fill('18100');
      await save();
      await page.waitForURL(/notice=saved/);
      assert.equal((await page.locator('.hds-notification').innerText()).trim(), SAYS[lang].heinola);
      assert.equal(await page.locator('#municipality').inputValue(), 'FI-111');
      assert.equal(await page.locator('#postal_code').inputValue(), '');
      await saveScreenshot(page, `my-home-${lang}`);
    }
  } finally {
    await context.close();
  }
});
