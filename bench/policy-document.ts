import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';

const FONT_DIR = join(__dirname, '..', 'node_modules', 'dejavu-fonts-ttf', 'ttf');
const MARGIN = 56;
const WIDTH = 595;
const HEIGHT = 842;

const SECTIONS = [
  [
    '1. Purpose',
    'This policy sets out how employees, contractors and temporary staff of Müller & Søn GmbH protect the information entrusted to them by customers, colleagues and partners. It applies to every system, device and paper record, wherever the work happens, including offices in Zürich, Kraków, Malmö and São Paulo.',
  ],
  [
    '2. Acceptable use',
    'Company systems are provided for business purposes. Reasonable personal use is allowed when it does not interfere with work, does not break the law and does not expose the company to risk. Never install unapproved software, disable security controls, or share your credentials with anyone, including IT staff.',
  ],
  [
    '3. Classification',
    'Information is Public, Internal, Confidential or Restricted. Label documents when you create them; when in doubt, treat information as Confidential and ask the information owner. Restricted information (personal data of customers, salary data, encryption keys) is stored only in the systems approved for it.',
  ],
  [
    '4. Passwords and MFA',
    'Use the company password manager, a unique passphrase of at least fourteen characters for every account, and multi-factor authentication wherever it is offered. Report any prompt you did not expect. Security will never ask you for your password or a one-time code.',
  ],
  [
    '5. Devices',
    'Laptops and phones used for work are enrolled in device management, encrypted, locked after five minutes and kept up to date. Lost or stolen devices are reported to the service desk within one hour so that they can be wiped remotely.',
  ],
  [
    '6. Incidents',
    'Report suspected incidents — phishing, malware, lost devices, misdirected e-mail, unexpected access — immediately to security@example.com or the on-call number. Do not investigate on your own and do not delete evidence. Prompt reporting is never held against you.',
  ],
  [
    '7. Remote work',
    'Work from trusted networks or through the company VPN. In public places, use a privacy screen, keep calls about Confidential matters private, and never leave a device unattended. Printing at home is allowed for Internal information only and the printouts are shredded.',
  ],
  [
    '8. Third parties',
    'Share Confidential or Restricted information with suppliers only under a signed agreement that covers confidentiality and data protection, and only through approved channels. The supplier register records every such arrangement.',
  ],
  [
    '9. Compliance',
    'Breaches of this policy may lead to disciplinary action, up to and including termination, and may be reported to authorities where the law requires. Exceptions are requested in writing from the CISO, time-limited and reviewed every quarter.',
  ],
] as const;

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) > width && line) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines;
}

function footer(page: PDFPage, font: PDFFont, id: string, i: number, n: number): void {
  page.drawText(`Attestation ${id} · page ${i} of ${n}`, {
    x: MARGIN,
    y: 30,
    size: 8,
    font,
    color: rgb(0.4, 0.4, 0.4),
  });
}

/**
 * A realistic three-page policy attestation, as the renderer makes it: embedded DejaVu fonts
 * (subset), wrapped text over two policy pages, an attestation page and evidence.json.
 * Returns the saved, unsigned bytes; each seal starts from `PDFDocument.load` of them.
 */
export async function policyAttestationPdf(): Promise<Uint8Array> {
  const id = randomUUID();
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const regular = await doc.embedFont(readFileSync(join(FONT_DIR, 'DejaVuSans.ttf')), {
    subset: true,
  });
  const bold = await doc.embedFont(readFileSync(join(FONT_DIR, 'DejaVuSans-Bold.ttf')), {
    subset: true,
  });
  const pages = [doc.addPage([WIDTH, HEIGHT]), doc.addPage([WIDTH, HEIGHT])];
  let page = 0;
  let y = HEIGHT - MARGIN;
  pages[0].drawText('Information Security Policy — version 3.2', {
    x: MARGIN,
    y,
    size: 18,
    font: bold,
  });
  y -= 34;
  for (const [heading, body] of [...SECTIONS, ...SECTIONS.slice(0, 4)]) {
    const lines = wrap(body, regular, 10.5, WIDTH - 2 * MARGIN);
    if (y - 22 - lines.length * 15 < 60) {
      page = Math.min(page + 1, pages.length - 1);
      y = HEIGHT - MARGIN;
    }
    pages[page].drawText(heading, { x: MARGIN, y, size: 13, font: bold });
    y -= 20;
    for (const line of lines) {
      pages[page].drawText(line, { x: MARGIN, y, size: 10.5, font: regular });
      y -= 15;
    }
    y -= 10;
  }
  const attestation = doc.addPage([WIDTH, HEIGHT]);
  const rows = [
    ['Statement', 'Zoë Łukasiewicz-Ørsted acknowledged Information Security Policy version 3.2'],
    ['Attestation id', id],
    ['Document', 'information-security-policy, version 3.2, effective 2026-01-01'],
    ['Source SHA-256', 'a3f1c2…'.padEnd(64, '0')],
    ['Signer', 'Zoë Łukasiewicz-Ørsted <zoe@example.com>, employee E01234'],
    ['Authentication', 'https://idp.example.com, NameID zoe@example.com, MFA yes'],
    ['Times (UTC)', 'viewed 2026-03-04T09:12:01Z, consented 09:12:30Z, signed 09:13:02Z'],
    ['Seal', 'CN=Attest seal, O=Example Ltd · SHA-256 4F:1A:…'],
  ];
  let ay = HEIGHT - MARGIN;
  attestation.drawText('Attestation', { x: MARGIN, y: ay, size: 18, font: bold });
  ay -= 34;
  for (const [label, value] of rows) {
    attestation.drawText(label, { x: MARGIN, y: ay, size: 10, font: bold });
    attestation.drawText(value, { x: MARGIN + 110, y: ay, size: 10, font: regular });
    ay -= 18;
  }
  const all = doc.getPages();
  all.forEach((p, i) => footer(p, regular, id, i + 1, all.length));
  await doc.attach(
    Buffer.from(JSON.stringify({ attestationId: id, kind: 'signature' })),
    'evidence.json',
    {
      mimeType: 'application/json',
    },
  );
  return doc.save();
}
