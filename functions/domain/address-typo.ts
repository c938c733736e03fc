/**
 * The mail providers most people use, by the name before the top-level domain, with the domains
 * each really has (the first is the one to suggest when the typed ending is not one of them).
 */
const PROVIDERS: ReadonlyArray<readonly [name: string, domains: readonly string[]]> = [
  ['gmail', ['gmail.com']],
  ['googlemail', ['googlemail.com']],
  // Real providers one letter away from a bigger one: known, so never "corrected".
  ['ymail', ['ymail.com']],
  ['mail', ['mail.com', 'mail.de', 'mail.ru']],
  ['email', ['email.com', 'email.de']],
  ['hotmail', ['hotmail.com', 'hotmail.de', 'hotmail.co.uk', 'hotmail.fr', 'hotmail.it', 'hotmail.es']],
  ['outlook', ['outlook.com', 'outlook.de', 'outlook.fr', 'outlook.es', 'outlook.it']],
  ['live', ['live.com', 'live.de', 'live.co.uk', 'live.fr', 'live.nl']],
  ['yahoo', ['yahoo.com', 'yahoo.de', 'yahoo.co.uk', 'yahoo.fr', 'yahoo.it', 'yahoo.es']],
  ['icloud', ['icloud.com']],
  ['me', ['me.com']],
  ['mac', ['mac.com']],
  ['aol', ['aol.com', 'aol.de']],
  ['gmx', ['gmx.de', 'gmx.net', 'gmx.at', 'gmx.ch', 'gmx.com']],
  ['web', ['web.de']],
  ['t-online', ['t-online.de']],
  ['freenet', ['freenet.de']],
  ['posteo', ['posteo.de', 'posteo.net']],
  ['mailbox', ['mailbox.org']],
  ['protonmail', ['protonmail.com', 'protonmail.ch']],
  ['proton', ['proton.me']],
  ['tutanota', ['tutanota.com', 'tutanota.de']],
  ['tuta', ['tuta.io', 'tuta.com']],
  ['arcor', ['arcor.de']],
  ['msn', ['msn.com']],
  ['fastmail', ['fastmail.com', 'fastmail.fm']],
  ['zoho', ['zoho.com']],
  ['yandex', ['yandex.com', 'yandex.ru']],
  ['orange', ['orange.fr']],
  ['free', ['free.fr']],
  ['laposte', ['laposte.net']],
  ['libero', ['libero.it']],
  ['virgilio', ['virgilio.it']],
  ['wp', ['wp.pl']],
  ['onet', ['onet.pl']],
  ['interia', ['interia.pl']],
  ['ziggo', ['ziggo.nl']],
  ['telenet', ['telenet.be']],
  ['bluewin', ['bluewin.ch']],
];

/** Endings that are no top-level domain at all, and what was surely meant. */
const ENDING_TYPOS: Readonly<Record<string, string>> = {
  con: 'com', cmo: 'com', ocm: 'com', vom: 'com', xom: 'com', comm: 'com', cpm: 'com', cim: 'com', coom: 'com',
  nte: 'net', nett: 'net', ner: 'net',
  ogr: 'org', orgg: 'org',
  dee: 'de', ded: 'de',
};

/** Endings that are real top-level domains, yet after a provider's name surely a slip of ".com". */
const PROVIDER_ENDING_TYPOS: Readonly<Record<string, string>> = { co: 'com', cm: 'com', om: 'com' };

/**
 * Edits between two words (insert, delete, substitute, or swap two neighbours): "gmial" is one
 * edit from "gmail".
 */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = rows[i]!;
      const above = rows[i - 1]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(above[j]! + 1, row[j - 1]! + 1, above[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, rows[i - 2]![j - 2]! + 1);
    }
  }
  return rows[a.length]![b.length]!;
}

/** How far a typed name may be from a provider's: short names only by two swapped letters, or not at all. */
function isNear(typed: string, name: string): boolean {
  const distance = editDistance(typed, name);
  if (distance === 0) return false;
  if (name.length <= 3) return distance === 1 && [...typed].sort().join() === [...name].sort().join();
  return distance <= (name.length >= 7 ? 2 : 1);
}

/**
 * The address the person probably meant, when its domain looks like a slip on a common provider's
 * (gmial.com, gmail.con, hotmial.com); undefined when it looks fine. Only the domain is looked
 * at: the part before the @ is the person's own.
 *
 * @example
 * suggestAddress('anna@gmial.com') // 'anna@gmail.com'
 * suggestAddress('anna@gmail.con') // 'anna@gmail.com'
 * suggestAddress('anna@example.org') // undefined
 */
export function suggestAddress(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at <= 0) return undefined;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1).toLowerCase();
  const known = PROVIDERS.flatMap(([, domains]) => domains);
  if (known.includes(domain)) return undefined;
  const dot = domain.indexOf('.');
  if (dot <= 0) return undefined;
  const name = domain.slice(0, dot);
  const typedEnding = domain.slice(dot + 1);
  const nearest = PROVIDERS.filter(([candidate]) => isNear(name, candidate)).sort(([a], [b]) => editDistance(name, a) - editDistance(name, b))[0];
  const provider = PROVIDERS.find(([candidate]) => candidate === name) ?? nearest;
  const ending = ENDING_TYPOS[typedEnding] ?? (provider ? PROVIDER_ENDING_TYPOS[typedEnding] : undefined) ?? typedEnding;
  if (!provider) return ending === typedEnding ? undefined : `${local}@${name}.${ending}`;
  const [providerName, domains] = provider;
  // The provider's domain with the typed ending where it has one, else its main one.
  const meant = domains.find((candidate) => candidate === `${providerName}.${ending}`) ?? (providerName === name && ending === typedEnding ? undefined : domains[0]);
  return meant && meant !== domain ? `${local}@${meant}` : undefined;
}
