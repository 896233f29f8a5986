import { describe, expect, it } from 'vitest';
import { DEMO_PRODUCT_ID } from '../../local/demo';
import { adminHint, customerWalkthrough, walkthroughBanner, walkthroughVariables } from '../../local/walkthrough';
import { readmeWalkthrough } from '../support/readme';

describe('the walkthrough npm start prints', () => {
  it('is the README’s customer and admin walkthrough, word for word', () => {
    // Act
    const customer = readmeWalkthrough('customer');
    const admin = readmeWalkthrough('admin');

    // Assess
    expect(customer).toBe(customerWalkthrough(DEMO_PRODUCT_ID));
    expect(admin).toBe(adminHint());
  });

  it('starts with the export line for the port and data directory in use, and never reads PORT', () => {
    // Act
    const banner = walkthroughBanner({ api: 'http://127.0.0.1:3791', dataDir: "/tmp/it's data", productId: DEMO_PRODUCT_ID, fileName: 'x.pdf' });

    // Assess
    expect(banner).toContain(`  export API='http://127.0.0.1:3791' DATA_DIR='/tmp/it'\\''s data'`);
    expect(walkthroughVariables('http://127.0.0.1:1', '/d')).toBe("export API='http://127.0.0.1:1' DATA_DIR='/d'");
    expect(`${customerWalkthrough(DEMO_PRODUCT_ID)}\n${adminHint()}`).not.toMatch(/PORT|:3000|\.data/);
  });
});
