// Registers the caseworker screens' texts with the shell's catalogue.
import { registerMessages } from '../i18n.js';
import { CASEWORKER_MESSAGES } from './messages-data.js';

registerMessages(CASEWORKER_MESSAGES);
