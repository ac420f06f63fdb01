'use client';

import { lazy, type ComponentType } from 'react';

/**
 * A client component loaded when first drawn instead of with the page, for parts a page only
 * shows after the user (or a background check) gives it something to show. If its code cannot be
 * loaded, the part says so in place; the rest of the page, and whatever the user typed, stay.
 */
export function lazyPart<P extends object>(load: () => Promise<ComponentType<P>>, what: string) {
  return lazy(async () => {
    try {
      return { default: await load() };
    } catch {
      function Unavailable() {
        return (
          <p role="alert" className="rounded-lg border border-bad bg-red-50 p-3 text-sm">
            The {what} could not be loaded: check the connection, then reload the page (the plan is kept in this browser).
          </p>
        );
      }
      return { default: Unavailable as ComponentType<P> };
    }
  });
}
