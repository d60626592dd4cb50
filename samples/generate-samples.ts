/**
 * Generates the binary documents of the sample corpus in samples/handbook/:
 * the Office files (docx, pptx, xlsx), the PDF, the e-mail (.eml with a PDF attachment)
 * and the Korean text file in the legacy EUC-KR encoding.
 *
 * Run with:  npx tsx samples/generate-samples.ts
 *
 * The Markdown, HTML, CSV and UTF-8 text documents are written by hand and live in
 * samples/handbook/ directly. Everything here is fiction: Hanbit Robotics does not exist.
 *
 * Output is deterministic: every timestamp is fixed (document properties, ZIP entry dates,
 * PDF dates, the e-mail's Date, Message-ID and MIME boundaries), so running the script
 * again without changing it rewrites identical bytes and produces no diff.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  HeadingLevel,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import MailComposer from 'nodemailer/lib/mail-composer';
import { PDFDocument, PDFFont, PDFPage, StandardFonts, rgb } from 'pdf-lib';
import PptxGenJSModule from 'pptxgenjs';

const OUTPUT_DIRECTORY = join(dirname(fileURLToPath(import.meta.url)), 'handbook');

/** Every generated file claims this moment as its creation and modification time. */
const FIXED_DATE = new Date('2026-01-15T00:00:00Z');

const COMPANY = 'Hanbit Robotics';

// ---------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------

/**
 * Rewrites an Office (OOXML) ZIP package so that it no longer depends on the clock:
 * every entry gets the same date and the created/modified stamps in docProps/core.xml are
 * replaced. The libraries write the current time in both places.
 */
async function normalizeOfficePackage(input: Uint8Array): Promise<Buffer> {
  const source = await JSZip.loadAsync(input);
  const output = new JSZip();
  const fixedIso = FIXED_DATE.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const names = Object.keys(source.files).filter((name) => !source.files[name]?.dir);
  for (const name of names) {
    const entry = source.file(name);
    if (!entry) continue;
    if (name === 'docProps/core.xml') {
      const xml = (await entry.async('string'))
        .replace(/(<dcterms:created[^>]*>)[^<]*(<\/dcterms:created>)/, `$1${fixedIso}$2`)
        .replace(/(<dcterms:modified[^>]*>)[^<]*(<\/dcterms:modified>)/, `$1${fixedIso}$2`);
      output.file(name, xml, { date: FIXED_DATE, createFolders: false });
    } else {
      output.file(name, await entry.async('uint8array'), { date: FIXED_DATE, createFolders: false });
    }
  }
  return output.generateAsync({
    type: 'nodebuffer',
    compression: 'DEFLATE',
    compressionOptions: { level: 9 },
    platform: 'DOS',
  });
}

async function save(fileName: string, content: Uint8Array | string): Promise<void> {
  await writeFile(join(OUTPUT_DIRECTORY, fileName), content);
  const size = typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength;
  console.log(`${fileName.padEnd(36)} ${String(size).padStart(8)} bytes`);
}

// ---------------------------------------------------------------------------------------
// DOCX helpers
// ---------------------------------------------------------------------------------------

interface DocxTextOptions {
  font: string;
}

function docxHeading(text: string, level: 1 | 2 | 3): Paragraph {
  const heading = level === 1 ? HeadingLevel.HEADING_1 : level === 2 ? HeadingLevel.HEADING_2 : HeadingLevel.HEADING_3;
  return new Paragraph({ text, heading, spacing: { before: 240, after: 120 } });
}

function docxParagraph(text: string): Paragraph {
  return new Paragraph({ children: [new TextRun(text)], spacing: { after: 120 } });
}

function docxBullet(text: string): Paragraph {
  return new Paragraph({ children: [new TextRun(text)], bullet: { level: 0 }, spacing: { after: 60 } });
}

function docxTable(header: readonly string[], rows: readonly (readonly string[])[]): Table {
  const border = { style: BorderStyle.SINGLE, size: 4, color: '999999' };
  const borders = { top: border, bottom: border, left: border, right: border };
  const cell = (text: string, isHeader: boolean): TableCell =>
    new TableCell({
      borders,
      shading: isHeader ? { type: ShadingType.CLEAR, color: 'auto', fill: 'DCE6F1' } : undefined,
      children: [new Paragraph({ children: [new TextRun({ text, bold: isHeader })] })],
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: header.map((text) => cell(text, true)) }),
      ...rows.map((row) => new TableRow({ children: row.map((text) => cell(text, false)) })),
    ],
  });
}

function docxDocument(
  options: { title: string; subject: string; creator: string; headerText: string; footerText: string } & DocxTextOptions,
  children: (Paragraph | Table)[],
): Document {
  return new Document({
    title: options.title,
    subject: options.subject,
    creator: options.creator,
    lastModifiedBy: options.creator,
    revision: 1,
    styles: {
      default: {
        document: { run: { font: { ascii: options.font, hAnsi: options.font, eastAsia: options.font }, size: 21 } },
      },
    },
    sections: [
      {
        headers: {
          default: new Header({
            children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: options.headerText, size: 16, color: '666666' })] })],
          }),
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({ text: `${options.footerText} · `, size: 16, color: '666666' }),
                  new TextRun({ children: [PageNumber.CURRENT], size: 16, color: '666666' }),
                ],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
}

// ---------------------------------------------------------------------------------------
// leave-policy.docx (English, United States)
// ---------------------------------------------------------------------------------------

async function leavePolicyDocx(): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({ text: 'Annual Leave and Sick Leave Policy: United States', heading: HeadingLevel.TITLE }),
    docxTable(
      ['Item', 'Details'],
      [
        ['Policy number', 'HR-US-04'],
        ['Version', '2.1'],
        ['Effective date', 'January 1, 2026'],
        ['Policy owner', 'Megan Torres, People Partner, Austin'],
        ['Applies to', 'Employees of Hanbit Robotics Inc. in the United States'],
      ],
    ),

    docxHeading('1. Purpose', 1),
    docxParagraph(
      'Time away from work keeps people healthy and teams sustainable. This policy explains how much annual leave and sick leave ' +
        'employees of Hanbit Robotics Inc. receive, how to request it and what happens to unused days.',
    ),

    docxHeading('2. Scope', 1),
    docxParagraph(
      'This policy applies to all regular full-time employees of Hanbit Robotics Inc., including staff at the Austin office and ' +
        'field engineers who work remotely at customer sites in the United States. Regular part-time employees receive leave in ' +
        'proportion to their scheduled hours. Interns and temporary staff follow the terms of their offer letter.',
    ),
    docxParagraph(
      'Employees of Hanbit Robotics Co., Ltd. in Seoul and Busan follow the Korean leave rules (휴가 규정), which differ from this policy.',
    ),

    docxHeading('3. Annual leave', 1),
    docxHeading('3.1 How much annual leave you receive', 2),
    docxParagraph(
      'Annual leave accrues every pay period (26 pay periods a year) and grows with your completed years of service:',
    ),
    docxTable(
      ['Completed years of service', 'Annual leave per year', 'Accrual per pay period'],
      [
        ['Less than 3 years', '15 days', '0.58 days'],
        ['3 to 5 years', '20 days', '0.77 days'],
        ['6 years or more', '25 days', '0.96 days'],
      ],
    ),
    docxParagraph(
      'Years of service count from your hire date. The higher rate starts with the first pay period after your work anniversary. ' +
        'Your current balance is shown in Hanbit People under Time Off.',
    ),

    docxHeading('3.2 Requesting annual leave', 2),
    docxBullet('Request all leave in Hanbit People before you take it.'),
    docxBullet('Request leave of 3 or more consecutive working days at least 2 weeks in advance.'),
    docxBullet('Your manager approves or declines within 3 working days. A request that has not been answered after 3 working days is escalated to the manager\u2019s manager.'),
    docxBullet('With your manager\u2019s approval you may borrow up to 3 days before they have accrued. Borrowed days are deducted from your final paycheck if you leave before accruing them.'),
    docxBullet('Field engineers agree leave during customer go-live weeks with the Director of Field Engineering.'),

    docxHeading('3.3 Carrying over unused days', 2),
    docxParagraph(
      'You may carry over up to 5 unused days into the next calendar year. Carried-over days expire if they are not used by March 31. ' +
        'Unused days above the carry-over limit are forfeited on January 1, so plan your time off during the year.',
    ),

    docxHeading('3.4 When you leave the company', 2),
    docxParagraph('Accrued, unused annual leave is paid out in your final paycheck at your base rate of pay.'),

    docxHeading('4. Sick leave', 1),
    docxBullet('Every employee receives 10 days of paid sick leave per calendar year, credited on January 1. New hires receive a pro-rated amount based on their month of hire.'),
    docxBullet('Sick leave may be used for your own illness or injury, medical and dental appointments, caring for a sick family member, or when you or a family member are a victim of domestic violence and need time to seek help.'),
    docxBullet('Tell your manager before 10:00 Central Time on the first day of absence, by phone or Slack, and record the absence in Hanbit People when you return.'),
    docxBullet('A doctor\u2019s note is required when you are absent for more than 3 consecutive working days.'),
    docxBullet('Unused sick leave does not carry over to the next year and is not paid out when you leave.'),
    docxParagraph(
      'If an illness lasts longer than your sick leave, short-term disability insurance pays 60% of your base pay from the 8th calendar day ' +
        'of a covered absence. Claims are filed in the Bennie benefits portal; the People Team will help you.',
    ),

    docxHeading('5. Other paid leave', 1),
    docxTable(
      ['Type of leave', 'Paid time', 'Conditions'],
      [
        ['Parental leave, birth parent', '16 weeks, fully paid', 'Taken within 12 months of the birth; may start up to 2 weeks before the due date.'],
        ['Parental leave, non-birth, adoptive or foster parent', '8 weeks, fully paid', 'Taken within 12 months of the birth or placement, in up to two blocks.'],
        ['Bereavement leave', '5 days for immediate family; 2 days for other relatives', 'Immediate family: spouse or partner, child, parent, sibling, grandparent and the same relatives of your spouse or partner.'],
        ['Jury duty', 'Full pay for up to 10 working days', 'Give your manager a copy of the summons.'],
        ['Volunteer day', '1 day per year', 'For volunteering with a registered non-profit organization.'],
        ['Floating holidays', '2 days per year', 'Use them for any personal or cultural holiday by December 31; they do not carry over.'],
      ],
    ),

    docxHeading('6. Company holidays', 1),
    docxParagraph(
      'The Austin office observes the company holidays listed in the workbook "Offices and Public Holidays 2026". A company holiday that ' +
        'falls during your annual leave is not deducted from your balance.',
    ),

    docxHeading('7. Recording leave', 1),
    docxParagraph(
      'Payroll uses the leave recorded in Hanbit People. Recording leave incorrectly on purpose is a breach of the code of conduct. If you ' +
        'notice a mistake in your balance, contact the People Team.',
    ),

    docxHeading('8. Contacts', 1),
    docxParagraph('Megan Torres, People Partner, Austin: hr-us@hanbit-robotics.example, +1 512-555-0120.'),
  ];

  const document = docxDocument(
    {
      title: 'Annual Leave and Sick Leave Policy: United States',
      subject: 'Annual leave, sick leave and other paid leave for US employees',
      creator: 'Hanbit Robotics People Team',
      headerText: 'Hanbit Robotics Inc. · HR-US-04 · Internal',
      footerText: 'Annual Leave and Sick Leave Policy',
      font: 'Calibri',
    },
    children,
  );
  return normalizeOfficePackage(await Packer.toBuffer(document));
}

// ---------------------------------------------------------------------------------------
// benefits-guide-ko.docx (Korean)
// ---------------------------------------------------------------------------------------

async function benefitsGuideDocx(): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({ text: '2026년 복리후생 안내', heading: HeadingLevel.TITLE }),
    docxParagraph('주식회사 한빛로보틱스 · 인사팀 · 2026년 1월 2일 시행 · 적용 대상: 한국 법인 소속 직원(서울 본사, 부산 테스트랩)'),
    docxParagraph(
      '이 안내서는 2026년에 회사가 제공하는 복리후생 제도를 정리한 것입니다. 휴가 제도는 휴가 규정을, 재택근무는 재택근무 정책을 참고하세요. ' +
        '미국 법인 직원의 복리후생은 Austin 인사팀에서 별도로 안내합니다.',
    ),

    docxHeading('1. 선택적 복리후생 (복지포인트)', 1),
    docxBullet('모든 직원에게 연 120만원의 복지포인트를 매년 1월 2일에 지급합니다.'),
    docxBullet('연중 입사자는 입사한 달부터 월할 계산하여 지급합니다.'),
    docxBullet('복지포인트는 복지몰 "한빛몰"(mall.hanbit-robotics.example)에서 사용하며, 여행, 도서, 운동, 의료비 등에 쓸 수 있습니다.'),
    docxBullet('12월 15일까지 사용하지 않은 포인트는 소멸하며 현금으로 돌려받을 수 없습니다.'),

    docxHeading('2. 건강검진', 1),
    docxBullet('직원 본인은 매년 1회 종합건강검진을 받을 수 있습니다. 만 40세 이상은 위·대장 내시경이 포함된 정밀 검진을 받습니다.'),
    docxBullet('배우자는 짝수 해에 1회 검진을 지원합니다. 2026년은 배우자 검진 대상 연도입니다.'),
    docxBullet('검진은 회사가 지정한 검진기관 5곳 중 한 곳에서 받고, Hanbit People의 "건강검진 예약" 메뉴에서 예약합니다. 검진 당일은 유급 공가로 처리합니다.'),

    docxHeading('3. 식대', 1),
    docxBullet('점심 식대로 월 20만원을 급여와 함께 지급합니다.'),
    docxBullet('20시 이후까지 근무하는 경우 야근 식대를 1인당 12,000원까지 법인카드로 결제할 수 있습니다.'),

    docxHeading('4. 자기계발비', 1),
    docxParagraph(
      '자기계발비는 1인당 연 100만원 한도로 지원합니다. 업무와 관련된 도서, 온라인 강의, 어학 강좌, 자격증 응시료에 사용할 수 있으며, ' +
        '영수증을 SpendWise에 제출하면 분기마다 정산하여 급여와 함께 지급합니다. 사용하지 않은 한도는 다음 해로 이월되지 않습니다.',
    ),

    docxHeading('5. 통신비', 1),
    docxParagraph('업무용 휴대폰 사용에 대한 통신비로 월 5만원을 급여와 함께 지급합니다.'),

    docxHeading('6. 경조금', 1),
    docxParagraph('경조사가 생기면 Hanbit People의 "경조 신청" 메뉴에서 30일 이내에 신청합니다. 경조휴가는 휴가 규정을 따릅니다.'),
    docxTable(
      ['구분', '경조금', '비고'],
      [
        ['본인 결혼', '100만원', '화환 제공'],
        ['자녀 결혼', '50만원', ''],
        ['자녀 출산', '50만원', '출생 축하 선물 제공'],
        ['본인 및 배우자의 부모 사망', '100만원', '조화 제공, 상조 물품 지원'],
        ['본인 및 배우자의 조부모 사망', '30만원', '조화 제공'],
      ],
    ),

    docxHeading('7. 단체보험', 1),
    docxParagraph(
      '회사는 모든 직원을 단체 상해·질병 보험에 가입시킵니다. 직원 본인과 배우자, 자녀의 입원 및 통원 의료비를 연 1,000만원 한도에서 ' +
        '보장합니다. 보험금은 진료비 영수증을 보험 청구 앱에 올려 신청합니다.',
    ),

    docxHeading('8. 사내 동호회', 1),
    docxParagraph(
      '직원 5명 이상이 모인 동호회는 인사팀에 등록하면 회원 1인당 월 2만원의 활동비를 지원받습니다. 동호회는 반기마다 활동 보고서를 제출합니다.',
    ),

    docxHeading('9. 휴양시설', 1),
    docxParagraph(
      '회사가 계약한 평창과 제주의 콘도를 직원 1인당 연 2박까지 이용할 수 있습니다. 매월 1일에 다음 달 예약 신청을 받아 추첨하며, ' +
        '성수기(7~8월, 연말연시)에는 근속 연수가 긴 직원을 우선합니다.',
    ),

    docxHeading('10. 문의', 1),
    docxParagraph('복리후생 담당: 인사팀 정다은 매니저 (내선 2140, benefits@hanbit-robotics.example)'),
  ];

  const document = docxDocument(
    {
      title: '2026년 복리후생 안내',
      subject: '한국 법인 직원 복리후생 제도',
      creator: '한빛로보틱스 인사팀',
      headerText: '주식회사 한빛로보틱스 · 사내 한정',
      footerText: '2026년 복리후생 안내',
      font: 'Malgun Gothic',
    },
    children,
  );
  return normalizeOfficePackage(await Packer.toBuffer(document));
}

// ---------------------------------------------------------------------------------------
// PDF layout helper (pdf-lib standard fonts: WinAnsi only, so English text only)
// ---------------------------------------------------------------------------------------

type PdfBlock =
  | { kind: 'title'; text: string }
  | { kind: 'subtitle'; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'subheading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'bullets'; items: string[] }
  | { kind: 'table'; widths: number[]; header: string[]; rows: string[][] }
  | { kind: 'pageBreak' };

interface PdfOptions {
  title: string;
  subject: string;
  author: string;
  keywords: string[];
  headerLeft: string;
  footerLeft: string;
}

/**
 * A tiny text layout engine for pdf-lib: wraps paragraphs, bullets and simple tables over
 * as many A4 pages as needed, then stamps a running header and "Page N of M" footer.
 * A "~" in the source text is a non-breaking space: it is drawn as a space, but lines never
 * break there, so that phrases such as "30~days" stay on one line in the extracted text.
 */
class PdfLayout {
  private static readonly pageWidth = 595.28;
  private static readonly pageHeight = 841.89;
  private static readonly margin = 60;
  private static readonly bottom = 60;

  private page!: PDFPage;
  private y = 0;

  private constructor(
    private readonly document: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
    private readonly options: PdfOptions,
  ) {}

  static async create(options: PdfOptions): Promise<PdfLayout> {
    const document = await PDFDocument.create();
    document.setTitle(options.title);
    document.setSubject(options.subject);
    document.setAuthor(options.author);
    document.setKeywords(options.keywords);
    document.setCreator(`${COMPANY} document generator`);
    document.setProducer('pdf-lib');
    document.setCreationDate(FIXED_DATE);
    document.setModificationDate(FIXED_DATE);
    const regular = await document.embedFont(StandardFonts.Helvetica);
    const bold = await document.embedFont(StandardFonts.HelveticaBold);
    const layout = new PdfLayout(document, regular, bold, options);
    layout.newPage();
    return layout;
  }

  private get contentWidth(): number {
    return PdfLayout.pageWidth - 2 * PdfLayout.margin;
  }

  private newPage(): void {
    this.page = this.document.addPage([PdfLayout.pageWidth, PdfLayout.pageHeight]);
    this.page.drawText(this.options.headerLeft, {
      x: PdfLayout.margin,
      y: PdfLayout.pageHeight - 40,
      size: 8,
      font: this.regular,
      color: rgb(0.4, 0.4, 0.4),
    });
    this.page.drawLine({
      start: { x: PdfLayout.margin, y: PdfLayout.pageHeight - 46 },
      end: { x: PdfLayout.pageWidth - PdfLayout.margin, y: PdfLayout.pageHeight - 46 },
      thickness: 0.5,
      color: rgb(0.7, 0.7, 0.7),
    });
    this.y = PdfLayout.pageHeight - 72;
  }

  private ensureSpace(height: number): void {
    if (this.y - height < PdfLayout.bottom) this.newPage();
  }

  private wrap(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
    const words = text.split(/ +/).filter((word) => word.length > 0);
    const lines: string[] = [];
    let line = '';
    const width = (value: string): number => font.widthOfTextAtSize(value.replace(/~/g, ' '), size);
    for (const word of words) {
      const candidate = line ? `${line} ${word}` : word;
      if (width(candidate) <= maxWidth || !line) {
        line = candidate;
      } else {
        lines.push(line);
        line = word;
      }
    }
    if (line) lines.push(line);
    return lines.map((value) => value.replace(/~/g, ' '));
  }

  private drawLines(lines: string[], x: number, font: PDFFont, size: number, leading: number): void {
    for (const line of lines) {
      this.ensureSpace(leading);
      this.y -= leading;
      this.page.drawText(line, { x, y: this.y, size, font, color: rgb(0.1, 0.1, 0.1) });
    }
  }

  add(block: PdfBlock): void {
    switch (block.kind) {
      case 'title': {
        this.drawLines(this.wrap(block.text, this.bold, 20, this.contentWidth), PdfLayout.margin, this.bold, 20, 26);
        this.y -= 6;
        break;
      }
      case 'subtitle': {
        this.drawLines(this.wrap(block.text, this.regular, 10, this.contentWidth), PdfLayout.margin, this.regular, 10, 14);
        this.y -= 10;
        break;
      }
      case 'heading': {
        this.ensureSpace(60);
        this.y -= 10;
        this.drawLines(this.wrap(block.text, this.bold, 13, this.contentWidth), PdfLayout.margin, this.bold, 13, 18);
        this.y -= 4;
        break;
      }
      case 'subheading': {
        this.ensureSpace(40);
        this.y -= 4;
        this.drawLines(this.wrap(block.text, this.bold, 11, this.contentWidth), PdfLayout.margin, this.bold, 11, 15);
        this.y -= 2;
        break;
      }
      case 'paragraph': {
        this.drawLines(this.wrap(block.text, this.regular, 10, this.contentWidth), PdfLayout.margin, this.regular, 10, 14);
        this.y -= 6;
        break;
      }
      case 'bullets': {
        for (const item of block.items) {
          const lines = this.wrap(item, this.regular, 10, this.contentWidth - 14);
          this.ensureSpace(14);
          this.page.drawText('-', { x: PdfLayout.margin + 2, y: this.y - 14, size: 10, font: this.regular });
          this.drawLines(lines, PdfLayout.margin + 14, this.regular, 10, 14);
          this.y -= 3;
        }
        this.y -= 4;
        break;
      }
      case 'pageBreak': {
        this.newPage();
        break;
      }
      case 'table': {
        this.drawTableRow(block.widths, block.header, true);
        for (const row of block.rows) this.drawTableRow(block.widths, row, false);
        this.y -= 10;
        break;
      }
    }
  }

  private drawTableRow(widths: number[], cells: string[], isHeader: boolean): void {
    const size = 9;
    const leading = 12;
    const padding = 4;
    const font = isHeader ? this.bold : this.regular;
    const total = widths.reduce((sum, width) => sum + width, 0);
    const columnWidths = widths.map((width) => (width / total) * this.contentWidth);
    const wrapped = cells.map((cell, index) => this.wrap(cell, font, size, (columnWidths[index] ?? 0) - 2 * padding));
    const height = Math.max(...wrapped.map((lines) => lines.length)) * leading + 2 * padding;
    this.ensureSpace(height);
    const top = this.y;
    let x = PdfLayout.margin;
    if (isHeader) {
      this.page.drawRectangle({ x, y: top - height, width: this.contentWidth, height, color: rgb(0.86, 0.9, 0.95) });
    }
    wrapped.forEach((lines, index) => {
      const columnWidth = columnWidths[index] ?? 0;
      lines.forEach((line, lineIndex) => {
        this.page.drawText(line, {
          x: x + padding,
          y: top - padding - (lineIndex + 1) * leading + 3,
          size,
          font,
          color: rgb(0.1, 0.1, 0.1),
        });
      });
      this.page.drawRectangle({
        x,
        y: top - height,
        width: columnWidth,
        height,
        borderColor: rgb(0.6, 0.6, 0.6),
        borderWidth: 0.5,
      });
      x += columnWidth;
    });
    this.y = top - height;
  }

  async save(): Promise<Uint8Array> {
    const pages = this.document.getPages();
    pages.forEach((page, index) => {
      page.drawText(this.options.footerLeft, { x: PdfLayout.margin, y: 36, size: 8, font: this.regular, color: rgb(0.4, 0.4, 0.4) });
      const label = `Page ${index + 1} of ${pages.length}`;
      const width = this.regular.widthOfTextAtSize(label, 8);
      page.drawText(label, {
        x: PdfLayout.pageWidth - PdfLayout.margin - width,
        y: 36,
        size: 8,
        font: this.regular,
        color: rgb(0.4, 0.4, 0.4),
      });
    });
    return this.document.save({ useObjectStreams: false });
  }
}

// ---------------------------------------------------------------------------------------
// travel-expense-policy.pdf (English)
// ---------------------------------------------------------------------------------------

async function travelExpensePolicyPdf(): Promise<Uint8Array> {
  const layout = await PdfLayout.create({
    title: 'Travel and Expense Policy',
    subject: 'Business travel booking, allowances, reimbursement and approvals',
    author: 'Hanbit Robotics Finance',
    keywords: ['travel', 'expenses', 'per diem', 'hotel', 'SpendWise', 'policy'],
    headerLeft: 'Hanbit Robotics | Travel and Expense Policy (FIN-07) | Internal',
    footerLeft: 'FIN-07 version 4.0, effective 1 February 2026. Printed copies are not controlled.',
  });

  const blocks: PdfBlock[] = [
    { kind: 'title', text: 'Travel and Expense Policy' },
    {
      kind: 'subtitle',
      text: 'Policy FIN-07 | Version 4.0 | Effective 1 February 2026 | Owner: Finance (Hwang Eun-ji, Financial Controller) | Applies to all employees of Hanbit Robotics Co., Ltd. and Hanbit Robotics Inc.',
    },

    { kind: 'heading', text: '1. Purpose and principles' },
    {
      kind: 'paragraph',
      text:
        'We travel to install robots at customer sites, to meet customers and partners, and to work with colleagues in our other offices. ' +
        'This policy tells you what the company pays for and how to get your money back. Spend company money as carefully as you would spend your own: ' +
        'choose the lowest reasonable cost that still lets you arrive rested and do your job safely. When the policy does not cover a situation, ' +
        'ask the Travel Desk before you spend, not after.',
    },

    { kind: 'heading', text: '2. Before you travel' },
    {
      kind: 'bullets',
      items: [
        'Every business trip needs a Travel Request in SpendWise (spendwise.hanbit-robotics.example) approved before you book anything.',
        'Domestic trips are approved by your manager. International trips are approved by your manager and your division head and must be requested at least 14 days before departure.',
        'Book flights, trains and hotels through the Hanbit Travel Desk (travel@hanbit-robotics.example, ext. 2300) or the TripLine booking tool in SpendWise. Bookings made elsewhere are reimbursed only if they cost less than the TripLine fare for the same trip.',
        'Book flights at least 21 days before departure whenever you can; late bookings are on average 40% more expensive.',
        'All employees on approved trips are covered by the company travel insurance. The 24-hour travel assistance line is +1 512-555-0188 from anywhere in the world.',
      ],
    },

    { kind: 'heading', text: '3. Air travel' },
    {
      kind: 'paragraph',
      text: 'The cabin class depends on the scheduled flight time of each flight, not on the total length of the journey:',
    },
    {
      kind: 'table',
      widths: [2, 2, 3],
      header: ['Scheduled flight time', 'Cabin class', 'Approval'],
      rows: [
        ['Up to 6 hours', 'Economy', 'Standard Travel Request'],
        ['6 to 9 hours', 'Premium economy', 'Standard Travel Request'],
        ['More than 9 hours', 'Business class', 'Division head must approve the class in the Travel Request'],
      ],
    },
    {
      kind: 'bullets',
      items: [
        'Example: Seoul (Incheon) to Dallas/Fort Worth, on the way to the Austin office, is about 12 hours and qualifies for business class with approval. Seoul to Tokyo is economy.',
        'One checked bag is reimbursed. Extra bags are reimbursed only when you carry robot parts or tools for a customer site.',
        'Frequent flyer miles and hotel points earned on business trips are yours to keep, but they must never influence which airline or hotel you choose.',
      ],
    },

    { kind: 'heading', text: '4. Hotels' },
    {
      kind: 'paragraph',
      text:
        'Stay in a hotel from the preferred list in TripLine when one is available. The nightly limits below are for the room rate excluding taxes. ' +
        'If no room is available under the limit, for example during a trade fair, the Travel Desk can approve a higher rate before you book.',
    },
    {
      kind: 'table',
      widths: [3, 2],
      header: ['City', 'Nightly limit (room rate, excluding taxes)'],
      rows: [
        ['Seoul', 'KRW 220,000'],
        ['Busan', 'KRW 150,000'],
        ['Austin, TX', 'USD 230'],
        ['San Francisco Bay Area', 'USD 350'],
        ['New York City', 'USD 380'],
        ['Tokyo', 'JPY 28,000'],
        ['Frankfurt and Munich', 'EUR 210'],
        ['All other cities', 'USD 200 or local equivalent'],
      ],
    },
    {
      kind: 'paragraph',
      text:
        'Employees visiting another Hanbit office for more than 4 weeks should ask the Travel Desk about serviced apartments, which are usually cheaper than hotels for long stays.',
    },

    { kind: 'heading', text: '5. Ground transport' },
    {
      kind: 'bullets',
      items: [
        'Use public transport, airport trains and shuttles where practical. Taxis and ride-hailing services are fine when public transport is impractical, late at night, or when you carry equipment.',
        'Rental cars: compact or intermediate size, booked through TripLine. Decline the rental company insurance in the United States and Korea; our corporate policy covers it.',
        'KTX and other trains in Korea: standard class.',
        'Using your own car for business: USD 0.70 per mile in the United States and KRW 350 per km in Korea, plus tolls and parking. Commuting between home and your usual office is not business travel.',
      ],
    },

    { kind: 'heading', text: '6. Meals and daily allowance (per diem)' },
    {
      kind: 'paragraph',
      text:
        'On trips with an overnight stay you receive a fixed daily allowance for meals and incidental costs instead of claiming each meal. ' +
        'No receipts are needed for the daily allowance. On the day you leave and the day you return you receive 75% of the daily amount.',
    },
    {
      kind: 'table',
      widths: [3, 2],
      header: ['Country', 'Daily allowance for meals and incidentals'],
      rows: [
        ['Korea', 'KRW 60,000'],
        ['United States', 'USD 80'],
        ['Japan', 'JPY 9,000'],
        ['Germany', 'EUR 70'],
        ['All other countries', 'USD 70 or local equivalent'],
      ],
    },
    {
      kind: 'paragraph',
      text:
        'When a customer, a conference or the hotel provides a meal, deduct 20% of the daily allowance for breakfast and 30% each for lunch and dinner.',
    },

    { kind: 'heading', text: '7. Customer entertainment' },
    {
      kind: 'bullets',
      items: [
        'Meals and events with customers or partners need pre-approval from your manager when they cost more than USD 100 (KRW 130,000) per person.',
        'Record the names and companies of all guests in the expense line. Entertaining public officials always needs approval from the Legal team first.',
        'Alcohol is reimbursed only as part of a meal with customers or partners, in moderate amounts.',
      ],
    },

    { kind: 'heading', text: '8. What the company does not pay for' },
    {
      kind: 'bullets',
      items: [
        'Minibar items, in-room movies, spa and fitness charges.',
        'Seat or cabin upgrades you choose to buy, beyond the class in section 3.',
        'Traffic and parking fines, and costs caused by missed flights that you could have avoided.',
        'Laundry on trips shorter than 5 nights.',
        'Personal items that are lost or stolen while travelling (report company equipment to the IT Help Desk).',
      ],
    },

    { kind: 'heading', text: '9. Corporate card' },
    {
      kind: 'bullets',
      items: [
        'Employees who travel more than 4 times a year can apply for a Hanbit corporate Visa card in SpendWise. The card is in your name and for business expenses only.',
        'Cash withdrawals with the corporate card are limited to USD 300 per trip.',
        'Card transactions appear in SpendWise automatically. Attach receipts and submit them in an expense report like any other expense.',
        'Personal use of the corporate card, even if you pay it back, may lead to the card being withdrawn.',
      ],
    },

    { kind: 'heading', text: '10. Submitting expense reports' },
    {
      kind: 'bullets',
      items: [
        'Submit your expense report in SpendWise within 30~days of the end of the trip. Reports submitted more than 90 days after the trip are not reimbursed.',
        'Attach an itemized receipt for every expense above USD 25 or KRW 30,000. Photograph paper receipts with the SpendWise mobile app; you do not need to keep the originals afterwards.',
        'If a receipt is lost, fill in a Missing Receipt Declaration in SpendWise. You may use this at most 3 times per calendar year.',
        'Approved expenses are reimbursed with the next payroll run after approval, to the bank account registered in Hanbit People.',
      ],
    },

    { kind: 'heading', text: '11. Approvals' },
    {
      kind: 'table',
      widths: [3, 3],
      header: ['Total of one expense report', 'Who approves'],
      rows: [
        ['Up to USD 5,000 (KRW 7,000,000)', 'Your manager'],
        ['USD 5,000 to USD 20,000', 'Your manager and your director'],
        ['More than USD 20,000 (KRW 28,000,000)', 'Your manager, your director and the Chief Financial Officer'],
      ],
    },
    {
      kind: 'paragraph',
      text: 'Nobody approves their own expenses or the expenses of their own manager. Finance audits a random sample of reports every month.',
    },

    { kind: 'heading', text: '12. Contacts' },
    {
      kind: 'bullets',
      items: [
        'Travel Desk (bookings, changes, visas): travel@hanbit-robotics.example, ext. 2300.',
        'Expense questions and SpendWise: expenses@hanbit-robotics.example.',
        'Policy owner: Hwang Eun-ji, Financial Controller.',
      ],
    },

    { kind: 'pageBreak' },
    { kind: 'heading', text: 'Appendix A. Expense categories in SpendWise' },
    {
      kind: 'paragraph',
      text: 'Choose the category that matches the expense. The right category sends the report to the right approver and keeps tax reporting correct.',
    },
    {
      kind: 'table',
      widths: [2, 4, 2],
      header: ['Category', 'Use it for', 'Receipt needed'],
      rows: [
        ['Airfare', 'Flights, seat fees that the policy allows, one checked bag', 'Yes, with the e-ticket'],
        ['Hotel', 'Room rate, taxes and hotel breakfast when it is not included', 'Yes, the final folio'],
        ['Daily allowance', 'Meals and incidentals on trips with an overnight stay', 'No'],
        ['Ground transport', 'Taxis, ride-hailing, trains, buses, rental cars, fuel for rental cars', 'Above USD 25 or KRW 30,000'],
        ['Mileage', 'Business use of your own car, with start and end address', 'No, but a route is required'],
        ['Customer entertainment', 'Meals and events with customers or partners, with guest names', 'Yes, always'],
        ['Conference fees', 'Registration fees for approved conferences and trade fairs', 'Yes'],
        ['Visa and passport', 'Visa fees and passport photos for business trips', 'Yes'],
        ['Phone and internet', 'Roaming packages and hotel internet needed for work', 'Above USD 25 or KRW 30,000'],
        ['Other', 'Anything else; explain it in the description field', 'Yes'],
      ],
    },

    { kind: 'heading', text: 'Appendix B. Checklist for international trips' },
    {
      kind: 'bullets',
      items: [
        'Travel Request approved in SpendWise at least 14 days before departure.',
        'Passport valid for at least 6 months after the return date; visa or electronic travel authorization arranged (ESTA for the United States, K-ETA for Korea where required).',
        'Company laptop encrypted and up to date. Some countries restrict encrypted laptops: ask Security Operations before travelling to a country you have not visited for work before.',
        'SecureLink VPN tested before departure, and the HanbitID Verify app working on your phone abroad.',
        'Travel assistance number +1 512-555-0188 saved in your phone.',
      ],
    },
  ];
  for (const block of blocks) layout.add(block);
  return layout.save();
}

// ---------------------------------------------------------------------------------------
// all-hands-q1-2026-agenda.pdf (attachment of the e-mail, English)
// ---------------------------------------------------------------------------------------

async function allHandsAgendaPdf(): Promise<Uint8Array> {
  const layout = await PdfLayout.create({
    title: 'Q1 2026 All-Hands Agenda',
    subject: 'Agenda of the Hanbit Robotics all-hands meeting, 12 March 2026',
    author: 'Hanbit Robotics Internal Communications',
    keywords: ['all-hands', 'agenda', '2026'],
    headerLeft: 'Hanbit Robotics | Q1 2026 All-Hands | Internal',
    footerLeft: 'Internal Communications, comms@hanbit-robotics.example',
  });
  const blocks: PdfBlock[] = [
    { kind: 'title', text: 'Q1 2026 All-Hands Agenda' },
    {
      kind: 'subtitle',
      text: 'Thursday 12 March 2026, 9:00-10:30 AM KST (Seoul, Busan) | Wednesday 11 March 2026, 7:00-8:30 PM CDT (Austin) | Hangang Hall, 15th floor, Hanbit Tower, and live on HanbitTV',
    },
    {
      kind: 'table',
      widths: [1.2, 5, 2.6],
      header: ['Time (KST)', 'Topic', 'Speaker'],
      rows: [
        ['9:00', 'Welcome and 2025 in review', 'Yoon Ha-eun, Chief Executive Officer'],
        ['9:15', '2025 financial results: revenue of KRW 148 billion, up 31% on 2024; first profitable year for the Austin office', 'Choi Hyun-woo, Chief Financial Officer'],
        ['9:30', 'Product roadmap: Pathfinder P4 launches in September 2026 with a 1,500 kg payload; FleetView 6 beta for all customers in Q2', 'Ahn Seo-jin, Chief Product Officer'],
        ['9:50', 'Busan Test Lab expansion: the new Hall~B with a 4,000 square metre endurance track opens in June~2026, doubling our testing capacity', 'Bae Sung-min, Head of Test Operations'],
        ['10:05', 'People update: the new Hanbit Academy learning platform and the Docent assistant pilot', 'Lim Soo-jin, HR Director'],
        ['10:15', 'Open questions and answers', 'Leadership team'],
        ['10:30', 'Close', ''],
      ],
    },
    { kind: 'heading', text: 'Questions' },
    {
      kind: 'paragraph',
      text:
        'Submit questions in advance at ask.hanbit-robotics.example until Monday 9 March. You can ask anonymously. The questions with the most votes are answered live; ' +
        'answers to the rest are posted on Compass within one week.',
    },
    { kind: 'heading', text: 'Interpretation and recording' },
    {
      kind: 'paragraph',
      text:
        'Simultaneous Korean-English interpretation is available on the HanbitTV stream: choose the audio channel under the video. The recording, with subtitles in both languages, ' +
        'is published on HanbitTV within 24 hours.',
    },
  ];
  for (const block of blocks) layout.add(block);
  return layout.save();
}

// ---------------------------------------------------------------------------------------
// all-hands-2026-q1.eml (English, with the agenda PDF attached)
// ---------------------------------------------------------------------------------------

async function allHandsEml(agenda: Uint8Array): Promise<Buffer> {
  const text = [
    'Hello everyone,',
    '',
    'Our first all-hands meeting of 2026 is coming up. Ha-eun and the leadership team will look back at 2025, share the plans for 2026 and answer your questions.',
    '',
    'WHEN',
    '- Seoul and Busan: Thursday 12 March 2026, 9:00 AM KST',
    '- Austin: Wednesday 11 March 2026, 7:00 PM CDT',
    '  (US daylight saving time starts on 8 March, so Austin is 14 hours behind Seoul that week.)',
    '',
    'WHERE',
    '- Seoul: Hangang Hall, 15th floor, Hanbit Tower. Doors open at 8:40 AM.',
    '- Busan Test Lab: live screening in the training room on the 2nd floor.',
    '- Austin: Colorado Room, Building B, with dinner served from 6:30 PM. Joining in the evening is optional; the recording is posted within 24 hours.',
    '- Everyone can watch the live stream on HanbitTV: tv.hanbit-robotics.example/allhands',
    '',
    'QUESTIONS',
    'Send your questions by Monday 9 March at ask.hanbit-robotics.example. You can ask anonymously, and the questions with the most votes are answered live.',
    '',
    'The agenda is attached (all-hands-q1-2026-agenda.pdf).',
    '',
    'See you there,',
    'Internal Communications',
    'Hanbit Robotics',
    '',
  ].join('\n');

  const html = `<!DOCTYPE html>
<html><body style="font-family: Arial, sans-serif; font-size: 14px;">
<p>Hello everyone,</p>
<p>Our first all-hands meeting of 2026 is coming up. Ha-eun and the leadership team will look back at 2025, share the plans for 2026 and answer your questions.</p>
<h3>When</h3>
<ul>
<li>Seoul and Busan: Thursday 12 March 2026, 9:00 AM KST</li>
<li>Austin: Wednesday 11 March 2026, 7:00 PM CDT<br>(US daylight saving time starts on 8 March, so Austin is 14 hours behind Seoul that week.)</li>
</ul>
<h3>Where</h3>
<ul>
<li>Seoul: Hangang Hall, 15th floor, Hanbit Tower. Doors open at 8:40 AM.</li>
<li>Busan Test Lab: live screening in the training room on the 2nd floor.</li>
<li>Austin: Colorado Room, Building B, with dinner served from 6:30 PM. Joining in the evening is optional; the recording is posted within 24 hours.</li>
<li>Everyone can watch the live stream on HanbitTV: <a href="https://tv.hanbit-robotics.example/allhands">tv.hanbit-robotics.example/allhands</a></li>
</ul>
<h3>Questions</h3>
<p>Send your questions by Monday 9 March at <a href="https://ask.hanbit-robotics.example">ask.hanbit-robotics.example</a>. You can ask anonymously, and the questions with the most votes are answered live.</p>
<p>The agenda is attached (all-hands-q1-2026-agenda.pdf).</p>
<p>See you there,<br>Internal Communications<br>Hanbit Robotics</p>
</body></html>
`;

  const composer = new MailComposer({
    from: { name: 'Internal Communications', address: 'comms@hanbit-robotics.example' },
    to: { name: 'All Staff', address: 'all-staff@hanbit-robotics.example' },
    replyTo: 'comms@hanbit-robotics.example',
    subject: 'Q1 2026 All-Hands: Thursday 12 March (Seoul) / Wednesday 11 March (Austin)',
    date: 'Mon, 23 Feb 2026 09:30:00 +0900',
    messageId: '<all-hands-2026-q1.20260223@hanbit-robotics.example>',
    baseBoundary: 'hanbit-all-hands-2026-q1',
    text: text.replace(/\n/g, '\r\n'),
    html: html.replace(/\n/g, '\r\n'),
    attachments: [
      {
        filename: 'all-hands-q1-2026-agenda.pdf',
        content: Buffer.from(agenda),
        contentType: 'application/pdf',
      },
    ],
  });
  return composer.compile().build();
}

// ---------------------------------------------------------------------------------------
// laptop-request-process.pptx (English, with speaker notes)
// ---------------------------------------------------------------------------------------

async function laptopRequestPptx(): Promise<Buffer> {
  // pptxgenjs declares CommonJS types but Node loads its ES module build, whose default export
  // is the class itself; TypeScript sees that class one level down, under `default`.
  type PptxGenJSClass = typeof PptxGenJSModule.default;
  const loaded = PptxGenJSModule as unknown as { default?: PptxGenJSClass };
  const PptxGenJS = loaded.default ?? (PptxGenJSModule as unknown as PptxGenJSClass);
  const pptx = new PptxGenJS();
  pptx.layout = 'LAYOUT_16x9';
  pptx.author = 'Hanbit Robotics IT Asset Management';
  pptx.company = COMPANY;
  pptx.title = 'Laptop and Equipment Requests';
  pptx.subject = 'How to request, collect, replace and return laptops and equipment';

  pptx.defineSlideMaster({
    title: 'HANBIT_CONTENT',
    background: { color: 'FFFFFF' },
    objects: [
      { rect: { x: 0, y: 0, w: 10, h: 0.12, fill: { color: '1F4E79' } } },
      { text: { text: 'Hanbit Robotics | IT Asset Management | Internal', options: { x: 0.4, y: 5.25, w: 6, h: 0.3, fontSize: 9, color: '808080' } } },
      {
        placeholder: {
          options: { name: 'title', type: 'title', x: 0.4, y: 0.3, w: 9.2, h: 0.8, fontSize: 26, bold: true, color: '1F4E79' },
          text: '',
        },
      },
      {
        placeholder: {
          options: { name: 'body', type: 'body', x: 0.4, y: 1.2, w: 9.2, h: 3.9, fontSize: 16, color: '222222', valign: 'top' },
          text: '',
        },
      },
    ],
    slideNumber: { x: 9.2, y: 5.2, fontSize: 9, color: '808080' },
  });

  const titleSlide = pptx.addSlide();
  titleSlide.background = { color: '1F4E79' };
  titleSlide.addText('Laptop and Equipment Requests', { x: 0.6, y: 1.6, w: 8.8, h: 1.0, fontSize: 36, bold: true, color: 'FFFFFF' });
  titleSlide.addText('How to get, replace and return your work equipment | IT Asset Management | 2026 edition', {
    x: 0.6,
    y: 2.7,
    w: 8.8,
    h: 0.6,
    fontSize: 16,
    color: 'DCE6F1',
  });
  titleSlide.addNotes(
    'This deck is shown in the new-joiner IT session every Monday and is published on Compass under IT Services. ' +
      'It covers Seoul, Busan and Austin. Questions after the session go to Slack #it-help.',
  );

  const contentSlides: { title: string; bullets: string[]; notes: string }[] = [
    {
      title: 'Standard laptop models',
      bullets: [
        'Engineering: MacBook Pro 16" (M4 Pro, 48 GB memory, 1 TB) or Lenovo ThinkPad P16s (64 GB memory, Ubuntu 24.04 LTS)',
        'Business roles: MacBook Air 13" (M4, 24 GB memory) or Lenovo ThinkPad T14s (32 GB memory, Windows 11)',
        'Your role decides the category; you choose the model within it',
        'Non-standard models need a business case and director approval',
      ],
      notes:
        'The robotics simulation team can request a Dell Precision 5860 tower workstation with an RTX 5000 Ada graphics card instead of a second laptop. ' +
        'That needs director approval because each workstation costs about USD 9,000.',
    },
    {
      title: 'Refresh cycle',
      bullets: [
        'Engineering laptops are replaced every 3 years',
        'Business laptops are replaced every 4 years',
        'Helix > My Assets shows the date your laptop becomes eligible',
        'IT contacts you 30 days before that date to schedule the swap',
      ],
      notes:
        'Early replacement is possible only when a hardware fault cannot be repaired within 5 working days. Running out of disk space or wanting a newer model are not reasons for an early refresh.',
    },
    {
      title: 'How to request a laptop or equipment',
      bullets: [
        'Open Helix > Service Catalog > Hardware > New laptop or equipment',
        'Pick the model, add a one-line business reason',
        'Approvals: your manager, then IT Asset Management',
        'Delivery from stock: 5 working days in Seoul and Busan, 7 working days in Austin',
        'Non-standard items: 4 to 6 weeks',
      ],
      notes:
        'For new joiners the manager submits the request at least two weeks before the start date so that the laptop is ready on day one. ' +
        'Austin takes longer because laptops are imaged in Seoul and shipped to the Austin stockroom weekly.',
    },
    {
      title: 'Monitors and accessories',
      bullets: [
        'Up to two 27" monitors and one docking station per office desk',
        'Keyboard, mouse and a noise-cancelling headset on request',
        'Accessory allowance: USD 200 or KRW 250,000 per person per year, ordered through Helix',
        'Items above the allowance need manager approval',
      ],
      notes: 'Ergonomic equipment recommended by an occupational health assessment is not counted against the accessory allowance.',
    },
    {
      title: 'Collecting your laptop and loaners',
      bullets: [
        'Collect new equipment at the IT Bar: 14th floor in Seoul, room 2.140 in Austin',
        'Bring your badge; you sign the equipment receipt in Helix',
        'First setup takes about 30 minutes; IT Bar staff help with MFA',
        'Busan staff receive laptops by internal courier',
      ],
      notes:
        'Loaner laptops are available at the IT Bar when your own laptop is being repaired or you need a second device for a trade fair. ' +
        'A loaner can be kept for up to 10 working days. Reserve one in Helix under Hardware > Loaner laptop, or walk in if it is urgent.',
    },
    {
      title: 'Lost, stolen or damaged equipment',
      bullets: [
        'Report loss or theft at once to the IT Help Desk (ext. 4357) and Security Operations',
        'IT locks and remotely wipes the device as soon as the report is logged',
        'Theft: file a police report and attach it to the Helix ticket',
        'Accidental damage: open a Helix incident; do not attempt repairs yourself',
      ],
      notes:
        'The reporting deadline is set in the Information Security Policy. There is no charge for a first lost or damaged laptop; repeated losses are reviewed with your manager.',
    },
    {
      title: 'Returning equipment',
      bullets: [
        'When you receive a replacement, return the old laptop within 2 weeks',
        'Leavers return all equipment on their last working day',
        'Do not wipe the laptop yourself; IT erases it with a certified process',
        'Austin remote staff receive a prepaid return box',
      ],
      notes:
        'Returned laptops in good condition are reused as loaners or donated to schools after certified data erasure. Unreturned equipment is deducted from the final pay where the law allows.',
    },
    {
      title: 'Questions?',
      bullets: [
        'Slack: #it-help',
        'E-mail: helpdesk@hanbit-robotics.example',
        'IT Asset Management lead: Kang Min-ho',
      ],
      notes: 'Thank the audience and remind new joiners to set up SecureLink VPN in their first week.',
    },
  ];

  for (const content of contentSlides) {
    const slide = pptx.addSlide({ masterName: 'HANBIT_CONTENT' });
    slide.addText(content.title, { placeholder: 'title' });
    slide.addText(
      content.bullets.map((text) => ({ text, options: { bullet: true, breakLine: true } })),
      { placeholder: 'body' },
    );
    slide.addNotes(content.notes);
  }

  const written = await pptx.write({ outputType: 'uint8array' });
  if (!(written instanceof Uint8Array)) throw new Error('pptxgenjs did not return bytes');
  return normalizeOfficePackage(written);
}

// ---------------------------------------------------------------------------------------
// offices-holidays-2026.xlsx (English, with Korean names on the Korean calendar)
// ---------------------------------------------------------------------------------------

function utcDate(isoDay: string): Date {
  return new Date(`${isoDay}T00:00:00Z`);
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

async function officesHolidaysXlsx(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Hanbit Robotics Facilities';
  workbook.lastModifiedBy = 'Hanbit Robotics Facilities';
  workbook.company = COMPANY;
  workbook.title = 'Offices and Public Holidays 2026';
  workbook.subject = 'Office locations, opening hours and the 2026 holiday calendars';
  workbook.created = FIXED_DATE;
  workbook.modified = FIXED_DATE;

  const headerStyle = (sheet: ExcelJS.Worksheet): void => {
    const row = sheet.getRow(1);
    row.font = { bold: true, color: { argb: 'FFFFFFFF' } };
    row.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F4E79' } };
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
  };

  const offices = workbook.addWorksheet('Offices');
  offices.columns = [
    { header: 'Office', key: 'office', width: 18 },
    { header: 'Address', key: 'address', width: 60 },
    { header: 'Time zone', key: 'timezone', width: 30 },
    { header: 'Reception hours', key: 'reception', width: 20 },
    { header: 'Building access', key: 'access', width: 44 },
    { header: 'Reception phone', key: 'phone', width: 18 },
    { header: 'Facilities contact', key: 'facilities', width: 52 },
    { header: 'Getting there', key: 'transport', width: 48 },
    { header: 'Parking', key: 'parking', width: 56 },
  ];
  offices.addRows([
    {
      office: 'Seoul HQ',
      address: 'Hanbit Tower, 14th-16th floors, 88 Seongsui-ro, Seongdong-gu, Seoul 04782, Republic of Korea',
      timezone: 'Asia/Seoul (KST, UTC+9)',
      reception: 'Mon-Fri 08:30-18:30',
      access: '24/7 with badge',
      phone: 'ext. 1000',
      facilities: 'Oh Dong-hyun, facilities@hanbit-robotics.example, ext. 2500',
      transport: 'Seongsu Station (Line 2), exit 3, 5 minutes on foot',
      parking: 'Basement levels B2-B4. Visitors get 2 hours free, validated at reception.',
    },
    {
      office: 'Austin',
      address: 'Ridgeview Commons, Building B, Suite 300, 4100 Ridgeview Parkway, Austin, TX 78744, USA',
      timezone: 'America/Chicago (CT, UTC-6; UTC-5 from 8 March to 1 November 2026)',
      reception: 'Mon-Fri 08:00-17:30',
      access: '06:00-22:00 with badge; weekends need Facilities approval',
      phone: '+1 512-555-0110',
      facilities: 'Lisa Nguyen, facilities-us@hanbit-robotics.example, +1 512-555-0115',
      transport: 'CapMetro bus 7, stop "Ridgeview Pkwy"; 20 minutes by car from Austin-Bergstrom airport',
      parking: 'Free garage, level 2. Reserved visitor spaces next to the elevator.',
    },
    {
      office: 'Busan Test Lab',
      address: '55 Noksan Industrial-ro, Gangseo-gu, Busan 46744, Republic of Korea',
      timezone: 'Asia/Seoul (KST, UTC+9)',
      reception: 'Mon-Fri 08:00-17:00',
      access: '07:00-21:00 with badge and Lab Access; visitors escorted at all times',
      phone: 'ext. 3000',
      facilities: 'Bae Sung-min, lab-facilities@hanbit-robotics.example, ext. 3050',
      transport: 'Company shuttle from Busan Station at 07:40 and 08:10 on working days',
      parking: 'Outdoor lot with 40 spaces; no visitor reservations.',
    },
  ]);
  offices.getColumn('address').alignment = { wrapText: true, vertical: 'top' };
  headerStyle(offices);

  const korea = workbook.addWorksheet('Holidays KR 2026');
  korea.columns = [
    { header: 'Date', key: 'date', width: 12, style: { numFmt: 'yyyy-mm-dd' } },
    { header: 'Day', key: 'day', width: 6 },
    { header: 'Holiday', key: 'holiday', width: 46 },
    { header: '공휴일명', key: 'localName', width: 24 },
    { header: 'Office closed', key: 'closed', width: 14 },
    { header: 'Notes', key: 'notes', width: 60 },
  ];
  const koreanHolidays: [string, string, string, boolean, string][] = [
    ['2026-01-01', "New Year's Day", '신정', true, ''],
    ['2026-02-16', 'Seollal (Lunar New Year) holiday', '설날 연휴', true, '설날 연휴 3일 (2월 16일~2월 18일)'],
    ['2026-02-17', 'Seollal (Lunar New Year)', '설날', true, ''],
    ['2026-02-18', 'Seollal (Lunar New Year) holiday', '설날 연휴', true, ''],
    ['2026-03-01', 'Independence Movement Day', '삼일절', false, '일요일'],
    ['2026-03-02', 'Substitute holiday for Independence Movement Day', '대체공휴일(삼일절)', true, '삼일절(3월 1일)이 일요일이므로 3월 2일 월요일 휴무'],
    ['2026-05-01', 'Labour Day (company holiday)', '근로자의 날', true, '회사 휴무일'],
    ['2026-05-05', "Children's Day", '어린이날', true, ''],
    ['2026-05-24', "Buddha's Birthday", '부처님오신날', false, '일요일'],
    ['2026-05-25', "Substitute holiday for Buddha's Birthday", '대체공휴일(부처님오신날)', true, '5월 25일 월요일 휴무'],
    ['2026-06-03', 'Local elections day', '전국동시지방선거일', true, ''],
    ['2026-06-06', 'Memorial Day', '현충일', false, '토요일 (대체공휴일 없음)'],
    ['2026-08-15', 'Liberation Day', '광복절', false, '토요일'],
    ['2026-08-17', 'Substitute holiday for Liberation Day', '대체공휴일(광복절)', true, '8월 17일 월요일 휴무'],
    ['2026-09-24', 'Chuseok holiday', '추석 연휴', true, '추석 연휴 3일 (9월 24일~9월 26일), 9월 26일은 토요일'],
    ['2026-09-25', 'Chuseok (Korean Thanksgiving)', '추석', true, ''],
    ['2026-09-26', 'Chuseok holiday', '추석 연휴', false, '토요일'],
    ['2026-10-03', 'National Foundation Day', '개천절', false, '토요일'],
    ['2026-10-05', 'Substitute holiday for National Foundation Day', '대체공휴일(개천절)', true, '10월 5일 월요일 휴무'],
    ['2026-10-09', 'Hangul Day', '한글날', true, ''],
    ['2026-12-25', 'Christmas Day', '성탄절', true, ''],
    ['2026-12-31', 'Year-end company day off', '연말 휴무', true, '회사 지정 휴무일 (연차 차감 없음)'],
  ];
  for (const [date, holiday, localName, closed, notes] of koreanHolidays) {
    const day = utcDate(date);
    korea.addRow({ date: day, day: WEEKDAYS[day.getUTCDay()], holiday, localName, closed: closed ? 'Yes' : 'No', notes });
  }
  headerStyle(korea);

  const unitedStates = workbook.addWorksheet('Holidays US 2026');
  unitedStates.columns = [
    { header: 'Date', key: 'date', width: 12, style: { numFmt: 'yyyy-mm-dd' } },
    { header: 'Day', key: 'day', width: 6 },
    { header: 'Holiday', key: 'holiday', width: 34 },
    { header: 'Office closed', key: 'closed', width: 14 },
    { header: 'Notes', key: 'notes', width: 60 },
  ];
  const unitedStatesHolidays: [string, string, string][] = [
    ['2026-01-01', "New Year's Day", ''],
    ['2026-01-19', 'Martin Luther King Jr. Day', ''],
    ['2026-02-16', "Presidents' Day", ''],
    ['2026-05-25', 'Memorial Day', ''],
    ['2026-06-19', 'Juneteenth', ''],
    ['2026-07-03', 'Independence Day (observed)', 'July 4 falls on a Saturday. Observed on Friday, July 3.'],
    ['2026-09-07', 'Labor Day', ''],
    ['2026-11-26', 'Thanksgiving Day', ''],
    ['2026-11-27', 'Day after Thanksgiving', ''],
    ['2026-12-24', 'Christmas Eve', ''],
    ['2026-12-25', 'Christmas Day', ''],
  ];
  for (const [date, holiday, notes] of unitedStatesHolidays) {
    const day = utcDate(date);
    unitedStates.addRow({ date: day, day: WEEKDAYS[day.getUTCDay()], holiday, closed: 'Yes', notes });
  }
  headerStyle(unitedStates);

  const readMe = workbook.addWorksheet('Read me');
  readMe.columns = [{ header: 'About this workbook', key: 'text', width: 110 }];
  readMe.addRows([
    { text: 'Maintained by Facilities (facilities@hanbit-robotics.example). Last updated 15 January 2026.' },
    { text: 'Seoul HQ and the Busan Test Lab follow the Korean calendar; the Austin office follows the US calendar.' },
    { text: 'US employees also receive 2 floating holidays per year (see the Annual Leave and Sick Leave Policy).' },
    { text: 'Employees travelling on a holiday follow the calendar of the office they are visiting and take the missed holiday within 3 months.' },
    { text: 'If the government designates additional public holidays during 2026, Facilities will update this calendar and announce it in #announcements.' },
  ]);
  headerStyle(readMe);

  const written = await workbook.xlsx.writeBuffer();
  return normalizeOfficePackage(new Uint8Array(written as ArrayBuffer));
}

// ---------------------------------------------------------------------------------------
// security-rules-ko.txt (Korean, encoded in EUC-KR to exercise legacy-encoding support)
// ---------------------------------------------------------------------------------------

const SECURITY_RULES_KO = `한빛로보틱스 임직원 보안 수칙
적용 범위: 서울 본사, 부산 테스트랩 | 시행일: 2026년 1월 15일 | 관리 부서: 정보보안실 (내선 7777)

이 수칙은 정보보안 정책(SEC-01) 가운데 사무실과 테스트랩에서 매일 지켜야 할 사항을 정리한 것입니다.
모든 임직원과 상주 협력업체 직원은 이 수칙을 지켜야 합니다.

1. 출입 보안
  가. 사원증은 회사 안에서 항상 잘 보이게 패용합니다.
  나. 출입문을 지날 때는 한 사람씩 사원증을 태그합니다. 다른 사람을 따라 들어가거나(테일게이팅)
      모르는 사람을 위해 문을 잡아 주지 않습니다.
  다. 방문객은 방문 24시간 전까지 Hanbit People의 "방문객 사전 등록" 메뉴에서 등록합니다.
      방문객은 1층 안내데스크에서 신분증을 확인한 뒤 방문증을 받으며, 회사 안에서는 초대한 직원이
      항상 동행합니다.
  라. 사원증을 잃어버리면 당일 총무팀에 신고합니다.

2. 자리 보안 (클린데스크)
  가. 퇴근할 때 책상 위에 문서, 메모, 저장매체를 두지 않고 잠금 서랍에 보관합니다.
  나. 자리를 비울 때는 Windows+L 또는 Control+Command+Q 키로 화면을 잠급니다.
  다. 정보보안실은 매월 마지막 금요일 퇴근 후 클린데스크 점검을 실시하고, 결과를 팀별로 공지합니다.
      같은 항목을 3회 이상 지적받은 팀은 보안 교육을 다시 받습니다.
  라. 모니터나 책상에 비밀번호를 적어 붙여 두지 않습니다.

3. 문서와 출력물
  가. 대외비 이상 문서는 보안출력(FollowMe)으로만 출력합니다.
  나. 필요 없는 출력물은 각 층 복합기 옆의 잠금 파쇄함에 넣습니다. 일반 휴지통에 버리지 않습니다.
  다. 회의가 끝나면 화이트보드를 지우고 회의실에 자료를 남기지 않습니다.

4. 부산 테스트랩 추가 수칙
  가. 테스트랩 안에서는 사진과 동영상 촬영을 금지합니다. 입장할 때 휴대폰 후면 카메라에 보안 스티커를
      붙이고, 퇴실할 때 보안요원이 스티커 상태를 확인합니다.
  나. 고객사 현장 지도와 라이다(LiDAR) 스캔 데이터는 테스트랩 전용 서버에만 저장합니다.
  다. 시험 중인 로봇의 펌웨어는 정보보안실이 승인한 장비로만 설치합니다.

5. 장비 반출입
  가. 노트북을 제외한 회사 장비를 외부로 가지고 나갈 때는 Helix에서 "반출증"을 신청하고 팀장의 승인을
      받습니다. 안내데스크에서 반출증을 확인합니다.
  나. 개인 저장매체(USB 메모리, 외장 하드디스크)는 업무에 사용할 수 없습니다.

6. 보안 사고 신고
  가. 노트북 분실, 의심스러운 메일의 링크 클릭, 신원을 알 수 없는 출입자 등 보안 사고가 의심되면 즉시
      정보보안실(내선 7777, security@hanbit-robotics.example)에 신고합니다.
  나. 사고를 신고한 사람에게는 어떠한 불이익도 주지 않습니다.

7. 위반 시 조치
  위반 횟수와 정도에 따라 경고, 보안 교육 재이수, 인사위원회 회부 순으로 조치합니다.

문의: 정보보안실 서재원 CISO, 내선 7777
`;

/**
 * Encodes the Korean security rules in EUC-KR with Windows line endings, as such files
 * come out of older Korean Windows PCs. Fails if a character is outside KS X 1001 (plain
 * EUC-KR), so that any EUC-KR decoder, not only a CP949 one, can read the file.
 */
function securityRulesEucKr(): Buffer {
  const text = SECURITY_RULES_KO.replace(/\n/g, '\r\n');
  const bytes = iconv.encode(text, 'euc-kr');
  if (iconv.decode(bytes, 'euc-kr') !== text) throw new Error('security-rules-ko.txt does not round-trip through EUC-KR');
  for (let index = 0; index < bytes.length; index += 1) {
    const byte = bytes[index] ?? 0;
    if (byte < 0x80) continue;
    const trail = bytes[index + 1] ?? 0;
    if (byte < 0xa1 || byte > 0xfe || trail < 0xa1 || trail > 0xfe) {
      throw new Error(`security-rules-ko.txt has a character outside KS X 1001 at byte ${index}`);
    }
    index += 1;
  }
  return bytes;
}

// ---------------------------------------------------------------------------------------

async function main(): Promise<void> {
  await mkdir(OUTPUT_DIRECTORY, { recursive: true });
  await save('leave-policy.docx', await leavePolicyDocx());
  await save('benefits-guide-ko.docx', await benefitsGuideDocx());
  await save('travel-expense-policy.pdf', await travelExpensePolicyPdf());
  await save('laptop-request-process.pptx', await laptopRequestPptx());
  await save('offices-holidays-2026.xlsx', await officesHolidaysXlsx());
  await save('all-hands-2026-q1.eml', await allHandsEml(await allHandsAgendaPdf()));
  await save('security-rules-ko.txt', securityRulesEucKr());
}

await main();
