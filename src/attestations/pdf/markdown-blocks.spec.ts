import { inlineRuns, markdownBlocks } from './markdown-blocks';

describe(markdownBlocks.name, () => {
  it('reads headings with their level and inline styles', () => {
    expect(markdownBlocks('# One\n\n## Two *it*\n\n### Three `x`')).toEqual([
      { kind: 'heading', level: 1, runs: [{ text: 'One', style: 'regular' }] },
      {
        kind: 'heading',
        level: 2,
        runs: [
          { text: 'Two ', style: 'regular' },
          { text: 'it', style: 'italic' },
        ],
      },
      {
        kind: 'heading',
        level: 3,
        runs: [
          { text: 'Three ', style: 'regular' },
          { text: 'x', style: 'mono' },
        ],
      },
    ]);
  });

  it('maps bold, italic, both and code to faces and joins soft line breaks with a space', () => {
    const [paragraph] = markdownBlocks('a **b _c_** `d`\ne  \nf');

    expect(paragraph).toEqual({
      kind: 'paragraph',
      runs: [
        { text: 'a ', style: 'regular' },
        { text: 'b ', style: 'bold' },
        { text: 'c', style: 'boldItalic' },
        { text: ' ', style: 'regular' },
        { text: 'd', style: 'mono' },
        { text: ' e\nf', style: 'regular' },
      ],
    });
  });

  it('prints links as their text followed by the address, and refused links as source', () => {
    const [paragraph] = markdownBlocks(
      'See [the policy](https://x.example/p), <https://y.example>, [mail](mailto:a@b.example) and [bad](javascript:alert(1)).',
    );

    expect(paragraph.kind === 'paragraph' && paragraph.runs.map((r) => r.text).join('')).toBe(
      'See the policy (https://x.example/p), https://y.example, mail (a@b.example) and [bad](javascript:alert(1)).',
    );
  });

  it('shows raw HTML and entities as text', () => {
    expect(markdownBlocks('<b>x</b> &amp; &copy;\n\n<div>y</div>')).toEqual([
      { kind: 'paragraph', runs: [{ text: '<b>x</b> & ©', style: 'regular' }] },
      { kind: 'paragraph', runs: [{ text: '<div>y</div>', style: 'regular' }] },
    ]);
  });

  it('nests bulleted and numbered lists', () => {
    const [list] = markdownBlocks('- a\n  - b\n    1. c\n    2. d\n- e');

    expect(list).toEqual({
      kind: 'list',
      ordered: false,
      start: 1,
      items: [
        [
          { kind: 'paragraph', runs: [{ text: 'a', style: 'regular' }] },
          {
            kind: 'list',
            ordered: false,
            start: 1,
            items: [
              [
                { kind: 'paragraph', runs: [{ text: 'b', style: 'regular' }] },
                {
                  kind: 'list',
                  ordered: true,
                  start: 1,
                  items: [
                    [{ kind: 'paragraph', runs: [{ text: 'c', style: 'regular' }] }],
                    [{ kind: 'paragraph', runs: [{ text: 'd', style: 'regular' }] }],
                  ],
                },
              ],
            ],
          },
        ],
        [{ kind: 'paragraph', runs: [{ text: 'e', style: 'regular' }] }],
      ],
    });
  });

  it('keeps the start number of an ordered list', () => {
    const [list] = markdownBlocks('3. c\n4. d');

    expect(list).toMatchObject({ kind: 'list', ordered: true, start: 3 });
  });

  it('reads a table with its header, alignment and rows', () => {
    const [table] = markdownBlocks('| A | B | C |\n|:--|:-:|--:|\n| 1 | *2* | 3 |\n| 4 |');

    expect(table).toEqual({
      kind: 'table',
      align: ['left', 'center', 'right'],
      header: [
        [{ text: 'A', style: 'regular' }],
        [{ text: 'B', style: 'regular' }],
        [{ text: 'C', style: 'regular' }],
      ],
      rows: [
        [
          [{ text: '1', style: 'regular' }],
          [{ text: '2', style: 'italic' }],
          [{ text: '3', style: 'regular' }],
        ],
        [[{ text: '4', style: 'regular' }], [], []],
      ],
    });
  });

  it('reads quotes, code blocks and rules', () => {
    expect(markdownBlocks('> q\n\n```ts\n  a\nb\n```\n\n---')).toEqual([
      { kind: 'quote', blocks: [{ kind: 'paragraph', runs: [{ text: 'q', style: 'regular' }] }] },
      { kind: 'code', text: '  a\nb' },
      { kind: 'rule' },
    ]);
  });
});

describe(inlineRuns.name, () => {
  it('gives no runs for no tokens', () => {
    expect(inlineRuns([])).toEqual([]);
  });
});
