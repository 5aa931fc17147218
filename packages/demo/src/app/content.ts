import type { Random } from '../random.ts';

/** Questions users ask in the chat, search and support features. */
export const QUESTIONS: readonly string[] = Object.freeze([
  'How do I reset my password?',
  'When will my refund reach my bank account?',
  'My order has not arrived yet, where is it?',
  'How can I export last month’s report as a PDF?',
  'How do I turn on single sign-on for my team?',
  'Why am I getting 429 errors from the API?',
  'What happens to my data if I delete my account?',
  'Can I downgrade my plan in the middle of the month?',
  'How long do you keep event data?',
  'How do webhook retries work?',
  'Where do I find my invoices?',
  'How do I set up two-factor authentication?',
]);

const POLICY_RULES: readonly string[] = [
  'Greet the customer by name when it is known and keep a friendly, professional tone.',
  'Look up the order before answering any question about delivery, refunds or returns.',
  'Search the knowledge base before answering any question about product behaviour.',
  'Never promise a refund amount or a delivery date that a tool did not return.',
  'Create a ticket when the customer reports a bug, a billing error or a security concern.',
  'Do not ask for passwords, card numbers or one-time codes under any circumstances.',
  'Summarise what you did at the end of the conversation in at most three sentences.',
  'Escalate to a human agent when the customer asks for one or is upset twice in a row.',
];

/**
 * The support agent's system prompt: long enough (over 1024 tokens at four
 * characters per token) that the provider reports a cached prefix.
 */
export const SUPPORT_AGENT_SYSTEM_PROMPT = [
  'You are the support assistant of a software company. Follow these rules in order.',
  ...Array.from(
    { length: 56 },
    (_, index) => `${index + 1}. ${POLICY_RULES[index % POLICY_RULES.length]}`,
  ),
].join('\n');

export const CHAT_SYSTEM_PROMPT =
  'You are a concise assistant inside a software product. Answer in plain language and ' +
  'suggest the relevant settings page when one exists.';

export const RAG_SYSTEM_PROMPT =
  'Answer the question using only the articles below. Cite the article id in brackets. ' +
  'Say that you do not know when the articles do not contain the answer.';

const DOCUMENT_SENTENCES: readonly string[] = [
  'The quarterly review covered revenue, churn and the roadmap for the next two quarters.',
  'Customer support volume grew by twelve percent, mostly from billing questions.',
  'The infrastructure team migrated the primary database with eleven minutes of downtime.',
  'Three enterprise customers renewed early and one asked for a custom retention period.',
  'The mobile release slipped by a week because of an app store review.',
  'Marketing tested a new onboarding email sequence and saw higher activation.',
  'Security completed the annual penetration test and fixed two medium findings.',
  'The next milestone is general availability of the reporting API.',
];

/** Builds a document of the given approximate length from stock sentences. */
export function buildDocument(random: Random, approximateChars: number): string {
  const sentences: string[] = [];
  let length = 0;
  while (length < approximateChars) {
    const sentence = random.pick(DOCUMENT_SENTENCES);
    sentences.push(sentence);
    length += sentence.length + 1;
  }
  return sentences.join(' ');
}
