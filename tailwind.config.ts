import type { Config } from 'tailwindcss';

// Tailwind 4 reads this through `@config` in app/globals.css; the theme lives here so
// the palette for stack statuses is defined once.
export default {
  content: ['./app/**/*.{ts,tsx}', './components/**/*.{ts,tsx}'],
  theme: {
    extend: {
      colors: {
        brand: { DEFAULT: '#0f5f8a', dark: '#0b4566', light: '#e6f1f7' },
        ok: '#137333',
        warn: '#a05a00',
        bad: '#b3261e',
      },
    },
  },
} satisfies Config;
