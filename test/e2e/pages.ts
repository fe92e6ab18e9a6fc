// Page objects: one per page, naming what a user looks at.
import type { Locator, Page } from '@playwright/test';

export class OverviewPage {
  constructor(readonly page: Page) {}
  goto(query = '') { return this.page.goto(`/${query}`); }
  drift(flag: string): Locator { return this.page.getByTestId(`drift-${flag}`); }
  tile(name: string): Locator { return this.page.getByTestId(`tile-${name}`); }
  get breakdown(): Locator { return this.page.getByTestId('breakdown'); }
}

export class AnomalyPage {
  constructor(readonly page: Page) {}
  get evidence(): Locator { return this.page.getByTestId('evidence'); }
  get affected(): Locator { return this.page.getByTestId('affected'); }
  get chart(): Locator { return this.page.getByTestId('episode-chart'); }
}

export class TransactionPage {
  constructor(readonly page: Page) {}
  lane(service: string): Locator { return this.page.getByTestId(`lane-${service}`); }
  get reasons(): Locator { return this.page.getByTestId('reasons'); }
  get path(): Locator { return this.page.getByTestId('state-path'); }
  get finalStates(): Locator { return this.page.getByTestId('final-states'); }
}
