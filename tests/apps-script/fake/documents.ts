/// <reference types="google-apps-script" />
// DriveApp and DocumentApp, just enough for 生成合作协议: template files copied by ID, a document's body (and
// optional header/footer) as paragraphs of text, findText/deleteText/insertText as Docs does them.

interface Found {
  para: number;
  start: number;
  end: number;
}

export class FakeSection {
  constructor(public paragraphs: string[]) {}
  getText(): string {
    return this.paragraphs.join('\n');
  }
  findText(pattern: string, from?: { _found: Found }) {
    const re = new RegExp(pattern);
    const startPara = from ? from._found.para : 0;
    for (let p = startPara; p < this.paragraphs.length; p++) {
      const offset = from && p === startPara ? from._found.start : 0;
      const m = re.exec(this.paragraphs[p]!.slice(offset));
      if (!m) continue;
      const found: Found = { para: p, start: offset + m.index, end: offset + m.index + m[0].length - 1 };
      const section = this;
      const text = {
        deleteText(s: number, e: number) {
          const t = section.paragraphs[found.para]!;
          section.paragraphs[found.para] = t.slice(0, s) + t.slice(e + 1);
          return text;
        },
        insertText(s: number, value: string) {
          if (!value) throw new Error('Invalid argument: text');
          const t = section.paragraphs[found.para]!;
          section.paragraphs[found.para] = t.slice(0, s) + value + t.slice(s);
          return text;
        },
      };
      return { _found: found, getElement: () => ({ asText: () => text }), getStartOffset: () => found.start, getEndOffsetInclusive: () => found.end };
    }
    return null;
  }
}

export class FakeDocument {
  saved = false;
  constructor(
    readonly id: string,
    public name: string,
    readonly body: FakeSection,
    readonly header: FakeSection | null = null,
  ) {}
  getId() {
    return this.id;
  }
  getUrl() {
    return `https://docs.google.com/document/d/${this.id}/edit`;
  }
  getBody() {
    return this.body;
  }
  getHeader() {
    return this.header;
  }
  getFooter() {
    return null;
  }
  saveAndClose() {
    this.saved = true;
  }
}

export class FakeDrive {
  readonly docs = new Map<string, FakeDocument>();
  readonly trashed = new Set<string>();
  /** File ID → the folder it is in. */
  readonly parents = new Map<string, string>();
  readonly folders = new Set<string>();
  private next = 1;

  addFolder(id: string): void {
    this.folders.add(id);
  }

  addTemplate(id: string, name: string, paragraphs: string[], header?: string[]): void {
    this.docs.set(id, new FakeDocument(id, name, new FakeSection(paragraphs), header ? new FakeSection(header) : null));
  }

  readonly DriveApp = {
    getFolderById: (id: string) => {
      if (!this.folders.has(id)) throw new Error('No item with the given ID could be found, or you do not have permission to access it.');
      return { getId: () => id };
    },
    getFileById: (id: string) => {
      const doc = this.docs.get(id);
      if (!doc) throw new Error(`No item with the given ID could be found, or you do not have permission to access it.`);
      return {
        getId: () => doc.id,
        makeCopy: (name: string, folder?: { getId(): string }) => {
          const id2 = `copy-${this.next++}`;
          const copy = new FakeDocument(id2, name, new FakeSection([...doc.body.paragraphs]), doc.header ? new FakeSection([...doc.header.paragraphs]) : null);
          this.docs.set(id2, copy);
          // Without a folder Drive puts the copy where the original is.
          this.parents.set(id2, folder ? folder.getId() : (this.parents.get(id) ?? 'root'));
          return { getId: () => id2, getUrl: () => copy.getUrl(), setTrashed: (t: boolean) => void (t ? this.trashed.add(id2) : this.trashed.delete(id2)) };
        },
      };
    },
  };

  readonly DocumentApp = {
    openById: (id: string) => {
      const doc = this.docs.get(id);
      if (!doc) throw new Error('Document is missing (perhaps it was deleted, or you don\u2019t have read access?)');
      return doc;
    },
  };
}
