import { strict as assert } from 'node:assert';
import { runWithGc } from '../helpers/withGc';

describe('what the incremental analysis keeps of earlier versions', () => {
  it('keeps no earlier text alive through the names, strings, comments and messages it carries on', function () {
    this.timeout(120000);
    // 200 lines pasted into a model of 24,000 layers (240 KB). Each kept slice of a version's
    // text would keep that whole text: 200 versions, 48 MB. What the lines themselves add to the
    // tree is about a kilobyte each.
    const edits = 200;
    const { textLength, grown, message } = runWithGc<{ textLength: number; grown: number; message?: string }>('retainedTexts', String(edits));
    assert.match(message ?? '', /not_an_activation/, 'the pasted lines are analysed: their error quotes the activation');
    const texts = grown / textLength;
    assert.ok(texts < 10, `the heap grew by ${(grown / 2 ** 20).toFixed(1)} MB over ${edits} edits: ${texts.toFixed(1)} texts of ${(textLength / 1024).toFixed(0)} KB`);
  });

  const replaced = (share: number) => runWithGc<{ collected: boolean }>('replacedAnalysis', String(share));

  it('lets the previous analysis go while it analyses a text that replaced most of it', function () {
    this.timeout(120000);
    // Two analyses of a long model at once doubled the server's live heap for nothing: so little
    // of the text is kept that building on the previous analysis saves no time.
    assert.equal(replaced(0.9).collected, true, 'the previous analysis of a text 90 % replaced is collectable during the new one');
  });

  it('builds on the previous analysis after an edit that keeps most of the text', function () {
    this.timeout(120000);
    // The other side of the same limit: the previous analysis is what the incremental one reuses.
    assert.equal(replaced(0.1).collected, false, 'the previous analysis of a text 10 % changed is in use');
  });
});
