// HtmlService: the page a script hands to Ui.showSidebar, kept so a test can open it in a real browser.
import { Fake, type Service } from './calls.js';

export class FakeHtmlOutput extends Fake {
  readonly service: Service = 'other';
  readonly kind = 'HtmlOutput';
  title = '';
  constructor(public content: string) {
    super();
  }
  setTitle(title: string) {
    this.title = title;
    return this;
  }
  getTitle() {
    return this.title;
  }
  getContent() {
    return this.content;
  }
}

export class FakeHtmlService extends Fake {
  readonly service: Service = 'other';
  readonly kind = 'HtmlService';
  createHtmlOutput(html = '') {
    return new FakeHtmlOutput(String(html));
  }
}
