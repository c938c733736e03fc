import { describe, expect, it } from 'vitest';
import { suggestAddress } from '../../functions/domain/address-typo.js';

describe('suggestAddress', () => {
  it.each([
    ['anna@gmial.com', 'anna@gmail.com'],
    ['anna@gmail.con', 'anna@gmail.com'],
    ['anna@gmail.co', 'anna@gmail.com'],
    ['anna@gmai.com', 'anna@gmail.com'],
    ['anna@gnail.com', 'anna@gmail.com'],
    ['anna@hotmial.com', 'anna@hotmail.com'],
    ['anna@hotmial.de', 'anna@hotmail.de'],
    ['anna@outlok.com', 'anna@outlook.com'],
    ['anna@yahooo.co.uk', 'anna@yahoo.co.uk'],
    ['anna@wbe.de', 'anna@web.de'],
    ['anna@tonline.de', 'anna@t-online.de'],
    ['anna@posteo.dee', 'anna@posteo.de'],
    ['anna@icloud.cmo', 'anna@icloud.com'],
    ['anna@example.con', 'anna@example.com'],
    ['Anna.Berg+ai@gmial.com', 'Anna.Berg+ai@gmail.com'],
  ])('suggests %s → %s', (typed, meant) => {
    expect(suggestAddress(typed)).toBe(meant);
  });

  it.each([
    'anna@gmail.com',
    'anna@googlemail.com',
    'anna@ymail.com',
    'anna@mail.com',
    'anna@gmx.at',
    'anna@gmx.de',
    'anna@outlook.fr',
    'anna@yahoo.co.uk',
    'anna@web.de',
    'anna@me.com',
    'anna@mac.com',
    'anna@example.org',
    'anna@xn--bcher-kva.de',
    'anna@gmail.de',
    'anna@gmx.it',
    'anna@localhost',
    'not-an-address',
  ])('leaves %s alone', (address) => {
    expect(suggestAddress(address)).toBeUndefined();
  });
});
