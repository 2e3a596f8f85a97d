// What the browser tests do on hubnet's pages again and again: check a page (its language, no
// untranslated key, no raw error, WCAG 2.1 AA), sign in through the demo picker, switch language,
// move with the keyboard, and find next week's free days on My week.

import assert from 'node:assert/strict';
import { checkA11y } from './a11y.mjs';

// What each language's pages say, for the assertions.
export const TEXT = {
  fi: {
    locale: 'fi-FI', label: 'Suomeksi', change: 'Vaihda kieli', week: 'Oma viikko', nothing: 'Ei varauksia',
    findDay: 'Etsi paikka tälle päivälle', book: 'Varaa', booked: 'Varattu:', cancel: 'Peru',
    cancelled: 'Varaus on peruttu.', signOut: 'Kirjaudu ulos', signIn: 'Kirjaudu sisään', demoAs: 'Kirjaudu henkilönä',
    monday: 'maanantai', saved: 'Tallennettu.', save: 'Tallenna', hosts: 'Omat toimipaikat',
  },
  sv: {
    locale: 'sv-SE', label: 'På svenska', change: 'Byt språk', week: 'Min vecka', nothing: 'Inget bokat',
    findDay: 'Hitta en plats för den här dagen', book: 'Boka', booked: 'Bokat:', cancel: 'Avboka',
    cancelled: 'Bokningen är avbokad.', signOut: 'Logga ut', signIn: 'Logga in', demoAs: 'Logga in som',
    monday: 'måndag', saved: 'Sparat.', save: 'Spara', hosts: 'Mina arbetsplatser',
  },
  en: {
    locale: 'en-GB', label: 'In English', change: 'Change language', week: 'My week', nothing: 'Nothing booked',
    findDay: 'Find a place for this day', book: 'Book', booked: 'Booked:', cancel: 'Cancel',
    cancelled: 'The booking is cancelled.', signOut: 'Sign out', signIn: 'Sign in', demoAs: 'Sign in as',
    monday: 'Monday', saved: 'Saved.', save: 'Save', hosts: 'My sites',
  },
};

/** Checks the page: its language, no untranslated key, no raw error, and WCAG 2.1 AA. */
export async function checkPage(page, lang, name) {
  assert.equal(await page.locator('html').getAttribute('lang'), lang, `${name}: lang attribute`);
  const text = await page.locator('body').innerText();
  assert.doesNotMatch(text, /\bweb-[a-z0-9_-]+\b/, `${name}: an untranslated key`);
  assert.doesNotMatch(text, /"error"\s*:|\{"/, `${name}: raw JSON on the page`);
  await checkA11y(page, `${name} (${lang})`);
}

/**
 * Signs in through the demo picker of the hubnet at `baseUrl` as the person with this email, in
 * a fresh context of `browser`.
 */
export async function signIn(browser, baseUrl, email, locale) {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/`);
  await page.locator(`form[action="/sign-in/demo"]:has(input[value="${email}"]) button`).click();
  await page.waitForURL(/\/week/);
  return { context, page };
}

/** Switches the signed-in person's language with the switch in the header. */
export async function chooseLanguage(page, lang) {
  await page.locator('#language-select').selectOption(lang);
  // The button speaks the page's current language.
  await page.locator('.language-form button').click();
  // The page that answers the switch, not the one still showing ('load' may be the old one's).
  await page.locator(`html[lang="${lang}"]`).waitFor({ state: 'attached' });
  assert.equal(await page.locator('html').getAttribute('lang'), lang);
}

/** The days of next week on My week that have nothing booked, as their "find" links. */
export function freeDaysNextWeek(page, lang) {
  return page.locator('section.week').nth(1).getByRole('link', { name: TEXT[lang].findDay });
}

/** Presses Tab until the focused element matches `selector`; fails after `limit` presses. */
export async function tabTo(page, selector, limit = 400) {
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}
