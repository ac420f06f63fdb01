// What is wider than a phone's screen: the page's own scroll width, and every element whose right
// edge passes the viewport without a box that scrolls or clips it (a wide table inside its own
// scrolling box is fine; the box itself must fit).
import { expect, type Page } from '@playwright/test';

export const PHONE = { width: 390, height: 844 };

export interface WidthReport {
  viewport: number;
  scrollWidth: number;
  /** Elements past the right edge, e.g. `pre.font-mono "aws cloudformation…" right 553`. */
  offenders: string[];
}

export function widthReport(page: Page): Promise<WidthReport> {
  return page.evaluate(() => {
    const limit = window.innerWidth;
    /**
     * Whether an ancestor scrolls or clips the element sideways (then that ancestor is what must
     * fit). An absolutely positioned element escapes the boxes below its containing block (its
     * nearest positioned ancestor); a fixed one escapes them all.
     */
    const contained = (element: Element) => {
      let position = getComputedStyle(element).position;
      for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
        if (position === 'fixed') return false;
        const style = getComputedStyle(parent);
        if (position === 'absolute' && style.position === 'static') continue; // not its containing block yet
        if (style.overflowX !== 'visible') return true;
        position = style.position; // from here on, what clips the parent clips the element
      }
      return false;
    };
    const describe = (element: Element, right: number) => {
      const classes = [...element.classList].slice(0, 4).join('.');
      const text = (element.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      return `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${classes ? `.${classes}` : ''} "${text}" right ${Math.round(right)}`;
    };
    const offenders: string[] = [];
    for (const element of document.body.querySelectorAll('*')) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || box.right <= limit + 0.5) continue;
      if (getComputedStyle(element).position === 'fixed' && box.left >= limit) continue; // parked off-screen on purpose
      if (contained(element)) continue;
      offenders.push(describe(element, box.right));
    }
    return { viewport: limit, scrollWidth: document.scrollingElement!.scrollWidth, offenders };
  });
}

/** Asserts that nothing on the page is wider than the phone's screen. */
export async function expectFitsThePhone(page: Page, what: string) {
  const report = await widthReport(page);
  expect(report.offenders, `${what}: elements past the right edge of a ${report.viewport} px screen`).toEqual([]);
  expect(report.scrollWidth, `${what}: the page scrolls sideways`).toBeLessThanOrEqual(report.viewport);
}
