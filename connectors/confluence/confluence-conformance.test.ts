import { describeConnectorConformance } from '../../test/connectors/connector-conformance.js';
import { createConfluenceFixture } from './fixtures/confluence-fixture.js';

describeConnectorConformance('confluence', createConfluenceFixture);
