import { createService } from './app/composition-root.js';
import { configFromLinks, loadConfig } from './config.js';

const config = loadConfig({ ...configFromLinks(), ...process.env });
const { feedback } = createService(config);

/** The Lambda entry point of the SNS subscription that carries SES bounces and complaints. */
export const handler = (event: unknown) => feedback.handleSnsEvent(event);
