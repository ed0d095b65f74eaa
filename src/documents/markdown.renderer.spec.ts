import { MarkdownRenderer } from './markdown.renderer';

describe(MarkdownRenderer.name, () => {
  const sut = new MarkdownRenderer();

  it('starts a document’s headings at h2, the page title being its one h1', () => {
    const html = sut.toHtml('# Agreement\n\n## Scope\n\n###### Small\n\ntext');
    expect(html).not.toContain('<h1');
    expect(html).toContain('<h2>Agreement</h2>');
    expect(html).toContain('<h3>Scope</h3>');
    expect(html).toContain('<h6>Small</h6>');
  });

  it('shows raw HTML as text and drops script links', () => {
    const html = sut.toHtml('<script>x</script>\n\n[a](javascript:alert(1))');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('href="javascript:');
  });
});
