// Accessibility checks with axe-core against WCAG 2.1 A and AA. @axe-core/playwright needs
// Node 22, so the script is injected into the page directly.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// Evaluated through the DevTools protocol rather than added as a <script>: hubnet's pages allow
// no inline scripts (Content-Security-Policy), and the check must not need them to.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe on the page as it is now and throws, listing every violation, if there is any.
 * `name` says which page (and state) was checked, for the failure message.
 */
export async function checkA11y(page, name) {
  await page.evaluate(axeSource);
  const results = await page.evaluate(
    (values) => window.axe.run(document, { runOnly: { type: 'tag', values } }),
    WCAG_21_AA,
  );
  if (results.violations.length === 0) return results;
  const lines = results.violations.flatMap((v) => [
    `- ${v.id} (${v.impact}): ${v.help} <${v.helpUrl}>`,
    ...v.nodes.map((node) => `    ${node.target.join(' ')}: ${node.failureSummary?.replaceAll('\n', ' ') ?? ''}`),
  ]);
  throw new Error(`${name}: ${results.violations.length} accessibility violation(s) (WCAG 2.1 AA) at ${page.url()}\n${lines.join('\n')}`);
}
