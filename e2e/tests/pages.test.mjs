// The web app end to end, in a real browser against a real `hubnet serve --demo`:
// - a person signs in (the demo picker), finds a free desk near their home municipality for a
//   day next week, books it, sees it in My week and cancels it: with the mouse, with the keyboard
//   only, and in Finnish, Swedish and English;
// - a host changes a site's opening hours and the site page shows the change;
// - every page passes axe-core's WCAG 2.1 A and AA rules, in every language, and a screenshot of
//   each main page in each language is saved.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { checkA11y } from '../lib/a11y.mjs';
import { launchBrowser } from '../lib/browser.mjs';
import { startHubnet } from '../lib/hubnet.mjs';
import { TEXT, checkPage, chooseLanguage, freeDaysNextWeek, signIn as signInAs, tabTo } from '../lib/pages.mjs';
import { saveScreenshot } from '../lib/screenshots.mjs';

let hubnet;
let browser;

before(async () => {
  // One after the other: a browser started beside a server that fails would keep the run alive.
  hubnet = await startHubnet();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await hubnet?.stop();
});

/** Signs in through the demo picker as the person with this email, in a fresh browser context. */
const signIn = (email, locale) => signInAs(browser, hubnet.url, email, locale);

for (const lang of ['fi', 'sv', 'en']) {
  test(`a person finds, books and cancels a desk near home next week (${lang})`, async () => {
    const t = TEXT[lang];
    const { context, page } = await signIn('maija.virtanen@vdt.example', t.locale);
    try {
      await chooseLanguage(page, lang);
      await checkPage(page, lang, 'my week');
      await saveScreenshot(page, `week-${lang}`);

      // A day next week with nothing booked yet: its link opens Find for that day, near home.
      const link = freeDaysNextWeek(page, lang).first();
      const href = await link.getAttribute('href');
      const date = new URL(href, hubnet.url).searchParams.get('date');
      await link.click();
      await page.waitForURL(/\/find\?/);
      assert.equal(await page.locator('#date').inputValue(), date);
      assert.equal(await page.locator('input[name="near"][value="home"]').isChecked(), true);
      const results = page.locator('.site-result');
      assert.ok(await results.count() > 0, 'no free places near home');
      // The map (Leaflet, no tiles here) shows the same sites as the list.
      await page.waitForSelector('#map .leaflet-tooltip');
      assert.deepEqual(
        (await page.locator('#map .leaflet-tooltip').allInnerTexts()).sort(),
        (await results.locator('h3').allInnerTexts()).sort(),
      );
      await checkPage(page, lang, 'find');
      await saveScreenshot(page, `find-${lang}`);

      // Book the nearest site's first free desk; My week confirms and lists it.
      const siteName = await results.first().locator('h3').innerText();
      await results.first().getByRole('button', { name: t.book }).click();
      await page.waitForURL(/\/week\?notice=booked/);
      const notice = await page.locator('.hds-notification').innerText();
      assert.ok(notice.startsWith(t.booked), `notice: ${notice}`);
      assert.ok(notice.includes(siteName), `notice names the site: ${notice}`);
      const day = page.locator('li.day', { has: page.locator(`a[href$="date=${date}"]`) });
      assert.equal(await day.locator('li.booking').count(), 1);
      await checkPage(page, lang, 'my week after booking');

      // Cancel it: the day is free again.
      await day.locator('li.booking').getByRole('button', { name: t.cancel }).click();
      await page.waitForURL(/\/week\?notice=cancelled/);
      assert.equal((await page.locator('.hds-notification').innerText()).trim(), t.cancelled);
      assert.equal(await page.locator(`section.week a[href="/find?date=${date}"]`).count(), 1);
    } finally {
      await context.close();
    }
  });
}

test('the same flow with the keyboard only', async () => {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  try {
    await page.goto(`${hubnet.url}/sign-in`);
    // The skip link comes first and leads to the content.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
    await tabTo(page, 'form:has(input[value="anna.lindqvist@regionjh.example"]) button');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/week/);
    if (await page.locator('html').getAttribute('lang') !== 'en') {
      await tabTo(page, '#language-select');
      await page.keyboard.press('End'); // "In English" is the last choice
      await tabTo(page, '.language-form button');
      await page.keyboard.press('Enter');
      // The page that answers the switch, not the one still showing ('load' may be the old one's).
      await page.locator('html[lang="en"]').waitFor({ state: 'attached' });
    }
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    const link = freeDaysNextWeek(page, 'en').first();
    const date = new URL(await link.getAttribute('href'), hubnet.url).searchParams.get('date');
    await tabTo(page, `section.week a[href="/find?date=${date}"]`);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/find\?/);
    await tabTo(page, '.site-result button');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/week\?notice=booked/);
    const day = page.locator('li.day', { has: page.locator(`a[href$="date=${date}"]`) });
    assert.equal(await day.locator('li.booking').count(), 1);
    await tabTo(page, `li.day:has(a[href$="date=${date}"]) li.booking button`);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/week\?notice=cancelled/);
    assert.equal(await page.locator(`section.week a[href="/find?date=${date}"]`).count(), 1);
  } finally {
    await context.close();
  }
});

test('a site page shows the floor plan as labelled, focusable spaces; two clicks book one', async () => {
  const { context, page } = await signIn('maija.virtanen@vdt.example', 'en-GB');
  try {
    await chooseLanguage(page, 'en');
    await freeDaysNextWeek(page, 'en').last().click();
    await page.waitForURL(/\/find\?/);
    const siteLink = page.locator('.site-result h3 a').first();
    await siteLink.click();
    await page.waitForURL(/\/sites\//);
    const cells = page.locator('svg.plan a');
    assert.ok(await cells.count() > 0, 'no spaces on the plan');
    // Every space on the plan has a name that says whether it is free, in words.
    for (const label of await cells.evaluateAll((as) => as.map((a) => a.getAttribute('aria-label')))) {
      assert.match(label, / (free|taken|fixed), /);
    }
    await checkPage(page, 'en', 'site');
    await saveScreenshot(page, 'site-en');
    // Choose a free space on the plan, then book it.
    const free = page.locator('svg.plan a.cell--free').first();
    const label = await free.getAttribute('aria-label');
    await free.click();
    await page.waitForURL(/space=/);
    await page.locator('#book button').click();
    await page.waitForURL(/\/week\?notice=booked/);
    const space = label.replace(/ free, .*$/, '');
    assert.ok((await page.locator('.hds-notification').innerText()).includes(space));
  } finally {
    await context.close();
  }
});

test('a host changes opening hours and the site page shows them', async () => {
  const { context, page } = await signIn('liisa.laine@toimitilat.example', 'en-GB');
  try {
    await chooseLanguage(page, 'en');
    await page.getByRole('link', { name: TEXT.en.hosts }).click();
    await checkPage(page, 'en', 'my sites');
    await page.locator('.host-sites a').first().click();
    await page.waitForURL(/\/host\/sites\//);
    await checkPage(page, 'en', 'host site');
    await saveScreenshot(page, 'host-site-en');
    await page.locator('#mon_opens').fill('06:45');
    await page.locator('#mon_closes').fill('21:15');
    await page.locator('#mon_closed').uncheck();
    await page.getByRole('button', { name: TEXT.en.save, exact: true }).first().click();
    await page.waitForURL(/notice=saved/);
    assert.equal((await page.locator('.hds-notification').innerText()).trim(), TEXT.en.saved);
    await page.getByRole('link', { name: 'Show the site' }).first().click();
    await page.waitForURL(/\/sites\//);
    assert.ok((await page.locator('ul.hours').innerText()).includes('Monday: 06:45–21:15'));
  } finally {
    await context.close();
  }
});

for (const lang of ['fi', 'sv', 'en']) {
  test(`the sign-in page, a site page, the host pages and an error page are accessible (${lang})`, async () => {
    const t = TEXT[lang];
    const context = await browser.newContext({ locale: t.locale });
    const page = await context.newPage();
    try {
      await page.goto(`${hubnet.url}/sign-in`);
      await checkPage(page, lang, 'sign in');
      assert.ok(await page.getByRole('button', { name: new RegExp(t.demoAs) }).count() > 0);
      await saveScreenshot(page, `sign-in-${lang}`);
      await page.locator('form[action="/sign-in/demo"]:has(input[value="erik.olsson@jamthubs.example"]) button').click();
      await page.waitForURL(/\/week/);
      await chooseLanguage(page, lang);
      await page.getByRole('link', { name: t.hosts }).click();
      await checkPage(page, lang, 'my sites');
      await saveScreenshot(page, `host-${lang}`);
      await page.locator('.host-sites a').first().click();
      await checkPage(page, lang, 'host site');
      await page.goBack();
      await page.locator('.host-sites a').nth(1).click();
      await page.goto(`${hubnet.url}/sites/${new URL(page.url()).pathname.split('/').pop()}`);
      await checkPage(page, lang, 'site');
      await saveScreenshot(page, `site-${lang}`);
      // An address that names nothing: a page in the person's language, not a raw error.
      const response = await page.goto(`${hubnet.url}/sites/not-a-site`);
      assert.equal(response.status(), 404);
      await checkPage(page, lang, 'not found');
      await saveScreenshot(page, `not-found-${lang}`);
      await page.getByRole('button', { name: t.signOut }).click();
      await page.waitForURL(/\/sign-in/);
      // Signed out: My week asks to sign in again.
      await page.goto(`${hubnet.url}/week`);
      assert.match(page.url(), /\/sign-in\?next=/);
    } finally {
      await context.close();
    }
  });
}

test('on a 360 px phone the pages fit the screen', async () => {
  const context = await browser.newContext({ locale: 'fi-FI', viewport: { width: 360, height: 740 }, isMobile: true });
  const page = await context.newPage();
  try {
    await page.goto(`${hubnet.url}/sign-in`);
    await page.locator('form[action="/sign-in/demo"]:has(input[value="anna.lindqvist@regionjh.example"]) button').click();
    await page.waitForURL(/\/week/);
    const pages = [['week', '/week'], ['find', null], ['site', null]];
    for (const [name] of pages) {
      if (name === 'find') {
        await freeDaysNextWeek(page, await page.locator('html').getAttribute('lang')).first().click();
        await page.waitForURL(/\/find\?/);
      } else if (name === 'site') {
        await page.locator('.site-result h3 a').first().click();
        await page.waitForURL(/\/sites\//);
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name}: ${overflow} px wider than the screen`);
      await checkA11y(page, `${name} at 360 px`);
      await saveScreenshot(page, `${name}-phone`);
    }
  } finally {
    await context.close();
  }
});

test('a site name is shown as text everywhere, never run as markup', async () => {
  const evil = '<img src=x onerror="window.__xss=1">Lab';
  const host = await signIn('liisa.laine@toimitilat.example', 'en-GB');
  try {
    await chooseLanguage(host.page, 'en');
    await host.page.goto(`${hubnet.url}/host`);
    await host.page.locator('.host-sites a').first().click();
    await host.page.locator('#name_en').fill(evil);
    await host.page.getByRole('button', { name: TEXT.en.save, exact: true }).first().click();
    await host.page.waitForURL(/notice=saved/);
  } finally {
    await host.context.close();
  }
  const { context, page } = await signIn('maija.virtanen@vdt.example', 'en-GB');
  try {
    await chooseLanguage(page, 'en');
    // Next week's Wednesday, near home (Espoo): the lab in Helsinki is among the results.
    const day = new Date();
    day.setDate(day.getDate() + ((8 - day.getDay()) % 7 || 7) + 2);
    await page.goto(`${hubnet.url}/find?near=home&date=${day.toISOString().slice(0, 10)}`);
    await page.waitForSelector('#map .leaflet-tooltip');
    const tooltips = await page.locator('#map .leaflet-tooltip').allInnerTexts();
    assert.ok(tooltips.includes(evil), `the name as text on the map: ${tooltips}`);
    assert.ok((await page.locator('.site-result h3').allInnerTexts()).includes(evil));
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.equal(await page.locator('img[src="x"]').count(), 0);
  } finally {
    await context.close();
  }
});
