import { describe, expect, it } from 'vitest';
import { scriptsNamedIn } from './plan-page';

describe('the first-load scripts of a page', () => {
  it('are the external scripts its HTML names, absolute, without noModule polyfills or inline data', () => {
    const html = [
      '<html><head><link rel="preload" as="script" href="/_next/static/chunks/pre.js"/>',
      '<script src="/_next/static/chunks/a.js" async=""></script>',
      '<script src="/_next/static/chunks/polyfills.js" noModule=""></script>',
      '<script>self.__next_f.push([1,"<script src=\\"/x.js\\">"])</script>',
      '<script async src="https://cdn.example/b.js?v=1&amp;w=2"></script></head></html>',
    ].join('');
    expect(scriptsNamedIn(html, 'http://127.0.0.1:3000/plan')).toEqual(['http://127.0.0.1:3000/_next/static/chunks/a.js', 'https://cdn.example/b.js?v=1&w=2']);
  });
});
