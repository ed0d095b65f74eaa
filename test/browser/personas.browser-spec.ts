import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { LazyModuleLoader } from '@nestjs/core';
import { DemoDataModule } from '../../src/seed/demo-data.module';
import { DemoOrganisationService } from '../../src/seed/demo-organisation.service';
import { totpCode } from '../helpers/admin-step-up';
import { expectIndependentToolsAccept } from '../helpers/pdf-tools';
import { axeViolations, launchChromium, startListeningApp, step } from '../helpers/browser';
import type { TestApp } from '../helpers/test-app';

jest.setTimeout(300_000);

/**
 * `npm run screenshots` sets this: every page a persona reaches is saved there, at each width,
 * for the README. Otherwise nothing is written.
 */
const SHOTS = process.env.SCREENSHOTS_DIR;

/** The pages the README shows, each at both widths. */
const README_SHOTS = new Set([
  'home',
  'new hire my tasks',
  'new hire signed',
  'new hire My history',
  'hr Onboarding',
  'hr people search',
  'hr person page',
  'hr check form error',
  'auditor Auditors',
  'auditor sample',
  'auditor evidence',
  'auditor Audit log',
  'admin configuration',
]);

const WIDTHS = [1280, 390] as const;
type Width = (typeof WIDTHS)[number];

/**
 * Each persona starts on the public home page and reaches its work by clicking alone, never by
 * typing an address, on a laptop and on a phone; every page it meets passes axe (WCAG 2.1 AA),
 * has one h1 and never scrolls the page sideways.
 */
describe('each persona does their work by clicking (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;
  /** The admin's authenticator key, set up on the first visit and kept for the later ones. */
  let adminSecret: string | undefined;

  beforeAll(async () => {
    // The demo organisation a first `npm start` makes, so each page shows a real picture.
    ({ t, baseUrl } = await startListeningApp({ DEMO_DATA: 'true' }));
    const demo = await t.app.get(LazyModuleLoader).load(() => DemoDataModule);
    await demo.get(DemoOrganisationService).createIfEmpty();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function newPage(width: Width): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width, height: width === 390 ? 844 : 900 },
      ...(width === 390 ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
    });
    return context.newPage();
  }

  /** What every page must be; saved for the README when screenshots are asked for. */
  async function checkPage(page: Page, width: Width, name: string): Promise<void> {
    await page.waitForLoadState('domcontentloaded');
    expect({ name, violations: await axeViolations(page) }).toEqual({ name, violations: [] });
    expect({ name, h1: await page.locator('h1').count() }).toEqual({ name, h1: 1 });
    const sideways = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect({ name, width, sideways }).toEqual({ name, width, sideways: 0 });
    // A path segment, not a prefix: a sample id may begin with "403".
    expect(page.url()).not.toMatch(/\/(error|403)(?:[/?#]|$)/);
    if (SHOTS && README_SHOTS.has(name)) {
      mkdirSync(SHOTS, { recursive: true });
      const file = `${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-${width}.jpg`;
      await page.screenshot({ path: join(SHOTS, file), type: 'jpeg', quality: 70 });
    }
  }

  /** Opens the header's menu on a phone, then follows the link named `label`. */
  async function clickNav(page: Page, width: Width, label: string): Promise<void> {
    if (width === 390) {
      const menu = page.locator('details.nav-narrow');
      if (!(await menu.getAttribute('open').then((v) => v !== null))) {
        await menu.locator('summary').click();
      }
    }
    await page
      .locator('nav[aria-label="Main"]:visible')
      .first()
      .getByRole('link', { name: label, exact: true })
      .click();
    await page.waitForLoadState('domcontentloaded');
  }

  /** The header's links as the person sees them. */
  async function navLabels(page: Page, width: Width): Promise<string[]> {
    if (width === 390) await page.locator('details.nav-narrow summary').click();
    const labels = await page
      .locator('nav[aria-label="Main"]:visible')
      .first()
      .getByRole('link')
      .allTextContents();
    if (width === 390) await page.locator('details.nav-narrow summary').click();
    return labels.map((label) => label.trim());
  }

  /** Follows a download link as the browser would, with the person's session. */
  async function download(page: Page, name: string | RegExp): Promise<Buffer> {
    const link = page.getByRole('link', { name }).first();
    const href = await link.getAttribute('href');
    const res = await page.context().request.get(new URL(href!, page.url()).toString());
    expect(res.status()).toBe(200);
    return Buffer.from(await res.body());
  }

  async function signInFromHome(page: Page, width: Width, displayName: string): Promise<void> {
    await page.goto(baseUrl);
    await checkPage(page, width, 'home');
    await page.getByRole('link', { name: 'Sign in with your company account' }).click();
    await page.getByRole('button', { name: `Sign in as ${displayName}` }).click();
    await page.waitForURL(`${baseUrl}/me`);
  }

  /** Clicks every area in the header and checks each page it opens. */
  async function visitEveryArea(page: Page, width: Width, who: string): Promise<string[]> {
    const labels = await navLabels(page, width);
    for (const label of labels) {
      await clickNav(page, width, label);
      await checkPage(page, width, `${who} ${label}`);
    }
    return labels;
  }

  describe.each(WIDTHS)('at %i px', (width) => {
    it('the new hire finds their tasks, signs one and downloads its sealed PDF', async () => {
      const page = await newPage(width);
      await step(page, `new hire ${width}: sign in`, () =>
        signInFromHome(page, width, 'Jordan Rivera'),
      );
      await step(page, `new hire ${width}: tasks`, async () => {
        await checkPage(page, width, 'new hire my tasks');
        const labels = await visitEveryArea(page, width, 'new hire');
        expect(labels).toEqual(
          expect.arrayContaining(['My tasks', 'My documents', 'My training', 'My history']),
        );
        expect(labels).not.toContain('People');
      });
      await step(page, `new hire ${width}: sign the next task`, async () => {
        await clickNav(page, width, 'My tasks');
        const next = page.getByRole('link', { name: /^Next: / });
        const title = (await next.textContent())!.replace(/^Next: /, '').trim();
        await next.click();
        // The first signature asks for consent to electronic records (ESIGN §7001(c)).
        const consent = page.getByRole('link', { name: /consent to electronic records/ });
        if (await consent.isVisible()) {
          await consent.click();
          await checkPage(page, width, 'new hire consent');
          await page.getByRole('checkbox', { name: /I consent to receive records/ }).check();
          await page.getByRole('button', { name: 'Give consent' }).click();
        }
        await checkPage(page, width, 'new hire document');
        await page.getByRole('checkbox', { name: /I have read and agree to/ }).check();
        await page.getByRole('textbox', { name: /Type your full name/ }).fill('Jordan Rivera');
        await page.getByRole('button', { name: /^Sign version/ }).click();
        await page.getByRole('heading', { name: `You signed ${title}` }).waitFor();
        await checkPage(page, width, 'new hire signed');
        expectIndependentToolsAccept(await download(page, 'Download the sealed PDF'));
      });
      await step(page, `new hire ${width}: history`, async () => {
        await clickNav(page, width, 'My history');
        expect(await page.getByRole('link', { name: /PDF/ }).count()).toBeGreaterThan(0);
        const summary = await download(page, /compliance summary/i);
        expect(summary.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      });
      await page.context().close();
    });

    it('HR finds people, onboarding and background checks', async () => {
      const page = await newPage(width);
      await step(page, `hr ${width}: sign in`, () => signInFromHome(page, width, 'Hannah Okafor'));
      await step(page, `hr ${width}: areas`, async () => {
        const labels = await visitEveryArea(page, width, 'hr');
        expect(labels).toEqual(
          expect.arrayContaining(['People', 'Onboarding', 'Background checks']),
        );
      });
      await step(page, `hr ${width}: find a person and record a check`, async () => {
        await clickNav(page, width, 'People');
        await page.getByLabel('Name, email or employee number').fill('rivera');
        await page.getByRole('button', { name: 'Search' }).click();
        await checkPage(page, width, 'hr people search');
        await page.getByRole('link', { name: 'Jordan Rivera' }).first().click();
        await checkPage(page, width, 'hr person page');
        await page.getByRole('link', { name: 'Record a check' }).first().click();
        await checkPage(page, width, 'hr record a check');
        // HR cleared the new hire's criminal-record check before day one: a second one is
        // refused, and the form comes back with what was typed.
        await page.getByLabel('Type of check').selectOption({ label: 'Criminal record' });
        await page.getByLabel('Provider (optional)').fill('Sterling');
        await page.locator('main form button[type="submit"]').last().click();
        await page.getByText('There is a problem').waitFor();
        expect(await page.getByLabel('Provider (optional)').inputValue()).toBe('Sterling');
        await checkPage(page, width, 'hr check form error');
      });
      await step(page, `hr ${width}: onboarding totals`, async () => {
        await clickNav(page, width, 'Onboarding');
        await page.getByRole('link', { name: /people with overdue tasks/ }).click();
        await checkPage(page, width, 'hr overdue');
      });
      await page.context().close();
    });

    it('the auditor finds populations, samples, exports and the audit log', async () => {
      const page = await newPage(width);
      await step(page, `auditor ${width}: sign in`, () =>
        signInFromHome(page, width, 'Oliver Bennett'),
      );
      await step(page, `auditor ${width}: areas`, async () => {
        const labels = await visitEveryArea(page, width, 'auditor');
        expect(labels).toEqual(expect.arrayContaining(['Auditors', 'Exports', 'Audit log']));
      });
      await step(page, `auditor ${width}: a sample and one person's evidence`, async () => {
        await clickNav(page, width, 'Auditors');
        await page.getByRole('link', { name: 'Populations', exact: true }).click();
        await page.getByRole('button', { name: 'Show populations' }).click();
        await checkPage(page, width, 'auditor populations');
        await page.getByRole('button', { name: 'Draw the sample' }).click();
        await checkPage(page, width, 'auditor sample');
        await page.getByTestId('sample-row').first().getByRole('link').click();
        await checkPage(page, width, 'auditor evidence');
        const pdfs = page.getByRole('link', { name: /Download the PDF/ });
        if ((await pdfs.count()) > 0) {
          expectIndependentToolsAccept(await download(page, /Download the PDF/));
        }
      });
      await page.context().close();
    });

    it('the admin sets up an authenticator and reaches administration', async () => {
      const page = await newPage(width);
      await step(page, `admin ${width}: sign in`, () =>
        signInFromHome(page, width, 'Sam Lindqvist'),
      );
      await step(page, `admin ${width}: authenticator`, async () => {
        await clickNav(page, width, 'Admin');
        if (!adminSecret) {
          // The first sign-in: set up the app, as the page says.
          await checkPage(page, width, 'admin authenticator setup');
          adminSecret = (await page.locator('#totp-secret').textContent())!.trim();
          await page.getByLabel('6-digit code').fill(totpCode(adminSecret));
          await page.getByRole('button', { name: 'Confirm' }).click();
          await checkPage(page, width, 'admin recovery codes');
        } else {
          // Later sign-ins: the app's next code (the one used to enrol is spent, RFC 6238 §5.2).
          await checkPage(page, width, 'admin authenticator code');
          await page.getByLabel('6-digit code').fill(totpCode(adminSecret, 1));
          await page.getByRole('button', { name: /Verify|Confirm|Continue/ }).click();
        }
      });
      await step(page, `admin ${width}: administration`, async () => {
        await visitEveryArea(page, width, 'admin');
        await clickNav(page, width, 'Admin');
        await page.getByRole('link', { name: 'Configuration' }).first().click();
        await checkPage(page, width, 'admin configuration');
      });
      await page.context().close();
    });
  });
});
