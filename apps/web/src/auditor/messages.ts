// Registers the auditor screens' texts with the shell's catalogue (and the caseworker texts its shared parts use).
import '../caseworker/messages.js';
import { registerMessages } from '../i18n.js';
import { AUDITOR_MESSAGES } from './messages-data.js';

registerMessages(AUDITOR_MESSAGES);
