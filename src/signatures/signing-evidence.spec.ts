import { createHash } from 'node:crypto';
import { documentIntent, normalisedName } from './signing-evidence';

describe(normalisedName.name, () => {
  it('ignores case and extra spaces, not letters', () => {
    expect(normalisedName('  ZOË   ørsted ')).toBe(normalisedName('Zoë Ørsted'));
    // A decomposed ë (e + combining diaeresis) is the same name.
    expect(normalisedName('Zoe\u0308 Ørsted')).toBe(normalisedName('Zoë Ørsted'));
    expect(normalisedName('Zoe Orsted')).not.toBe(normalisedName('Zoë Ørsted'));
  });
});

describe(documentIntent.name, () => {
  it('hashes the exact statement', () => {
    const intent = documentIntent('NDA', '1.0.0');
    expect(intent.text).toBe('I have read and agree to the NDA, version 1.0.0.');
    expect(intent.sha256).toBe(createHash('sha256').update(intent.text).digest('hex'));
    expect(documentIntent('NDA', '1.0.1').sha256).not.toBe(intent.sha256);
  });
});
