import { describeConnectorConformance } from '../../test/connectors/connector-conformance.js';
import { createGitFixture } from './fixtures/git-fixture.js';

describeConnectorConformance('git', createGitFixture);
