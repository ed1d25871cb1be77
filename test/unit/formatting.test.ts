import { strict as assert } from 'node:assert';
import { formatCount, formatPercent, formatShape, formatShapes, formatValue, formatValues } from '../../src/language';

// The product's one number formatter (src/language/formatting.ts): counts and shapes as Keras
// prints them, measured values (losses, metrics, predictions) for reading.

describe('formatting', () => {
  it('formats shapes as Python tuples', () => {
    assert.equal(formatShape([null, 3, 50]), '(None, 3, 50)');
    assert.equal(formatShape([null]), '(None,)');
    assert.equal(formatShapes([[null, 30, 64], [null, 64], [null, 64]]), '[(None, 30, 64), (None, 64), (None, 64)]');
  });

  it('groups thousands with commas, whatever the locale', () => {
    assert.equal(formatCount(10400), '10,400');
    assert.equal(formatCount(1234567), '1,234,567');
    assert.equal(formatCount(0), '0');
    assert.equal(formatCount(-1000), '-1,000');
  });

  it('gives measured values four significant digits, exponents at the extremes, a dash for none', () => {
    assert.equal(formatValue(0.123456), '0.1235');
    assert.equal(formatValue(101.04), '101');
    assert.equal(formatValue(0.1), '0.1');
    assert.equal(formatValue(0), '0');
    assert.equal(formatValue(0.0000123), '1.230e-5');
    assert.equal(formatValue(2_500_000), '2.500e+6');
    assert.equal(formatValue(-0.5), '-0.5');
    assert.equal(formatValue(undefined), '–');
    assert.equal(formatValue(Number.NaN), '–');
    assert.equal(formatValue(Number.POSITIVE_INFINITY), '∞');
    assert.equal(formatPercent(0.9534), '95.3%');
  });

  it('formats a prediction, lists nested', () => {
    assert.equal(formatValues([[39.35645, 43.52418]]), '[[39.36, 43.52]]');
    assert.equal(formatValues(0.5), '0.5');
  });
});
