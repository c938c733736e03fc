import type { Text } from './en.js';

/** Alle Texte auf Deutsch, in der Form von `Text`; angesprochen wird mit „Sie“. */
export const de: Text = {
  intlLocale: 'de-DE',
  languageName: 'Deutsch',
  listOf: (items) => new Intl.ListFormat('de-DE', { type: 'conjunction' }).format(items),

  countdown: (c) => (c.passed ? 'Die Frist ist abgelaufen' : c.daysLeft <= 0 ? 'Letzter Tag' : c.daysLeft === 1 ? 'Noch 1 Tag' : `Noch ${c.daysLeft} Tage`),
  countdownWords: { one: 'Noch 1 Tag', many: 'Noch {n} Tage', last: 'Letzter Tag' },
  deadlineSentence: (organisation, lastMoment, passed) =>
    passed
      ? `Die Frist für einen Widerspruch gegen die Nutzung Ihrer Daten durch ${organisation} endete am ${lastMoment}.`
      : `Sie können der Nutzung Ihrer Daten durch ${organisation} bis ${lastMoment} widersprechen.`,

  site: {
    skipToContent: 'Zum Inhalt springen',
    privacyLink: 'Datenschutz: was wir speichern und wie Sie es löschen',
    languageLabel: 'Sprache',
  },

  signup: {
    heading: (organisation) => `Rechtzeitig widersprechen: ${organisation} will seine KI mit Ihren Daten trainieren`,
    headingSeveral: 'Rechtzeitig widersprechen: halten Sie Ihre Daten aus dem KI-Training heraus',
    deadlineLabel: 'Frist:',
    errorTitle: (title) => `Fehler: ${title}`,
    errorSummary: 'Bitte prüfen Sie das Formular',
    email: 'E-Mail-Adresse',
    platformsLegend: 'Welche Plattformen nutzen Sie?',
    timezone: 'Ihre Zeitzone',
    timezoneHint: 'Die Erinnerungen kommen morgens, nach Ihrer Uhrzeit. Beispiel: Europe/Berlin.',
    locale: 'Sprache der E-Mails',
    honeypot: 'Dieses Feld bitte leer lassen',
    consent:
      'Ich bin einverstanden, dass optout-countdown meine E-Mail-Adresse, die gewählten Plattformen, meine Zeitzone und Sprache speichert, um mir eine Bestätigung, eine Anleitung für jede Plattform und Erinnerungen zu schicken, bis alles erledigt ist. Ich kann mich jederzeit mit einem Klick abmelden oder meine Daten löschen.',
    submit: 'Anleitungen zuschicken',
    storedHint: 'Wir speichern nur Ihre E-Mail-Adresse, Ihre Auswahl, Zeitzone, Sprache und wann Sie eingewilligt haben.',
    privacyLink: 'Zur Datenschutzseite',
    checkInboxTitle: 'Sehen Sie in Ihr Postfach',
    checkInboxTo: 'Wir schreiben an:',
    checkInbox:
      'Wenn diese Adresse unsere E-Mails empfangen kann, ist eine Nachricht mit einem Bestätigungsknopf unterwegs. Drücken Sie ihn, und die Anleitungen für Ihre Plattformen folgen sofort, in einer E-Mail.',
    didYouMean: (address) => `Meinten Sie ${address}?`,
    wrongAddress: 'Ein Tippfehler in der Adresse?',
    backToForm: 'Zurück zum Formular',
    checkInboxHint: (days) =>
      `Nach ein paar Minuten noch nichts da? Sehen Sie im Spam-Ordner nach. Unbestätigte Anmeldungen löschen wir nach ${days} Tagen.`,
    checkInboxJson: 'Wenn an diese Adresse Erinnerungen gehen können, ist eine Bestätigungs-E-Mail unterwegs.',
    fieldLabels: {
      email: 'E-Mail-Adresse',
      platforms: 'Plattformen',
      timezone: 'Zeitzone',
      locale: 'Sprache',
      campaign: 'Kampagne',
      consent: 'Einwilligung',
      watch: 'Neue Fristen',
      website: 'Formular',
    },
  },

  fieldErrors: {
    email_missing: 'Geben Sie Ihre E-Mail-Adresse ein.',
    email_too_long: 'Diese E-Mail-Adresse ist zu lang.',
    email_invalid: 'Geben Sie eine E-Mail-Adresse wie name@example.org ein.',
    email_local_unsendable:
      'An eine Adresse, deren Teil vor dem @ Zeichen außerhalb von A bis Z enthält, können wir noch nicht senden. Bitte nehmen Sie eine andere Adresse; Umlaute in der Domain nach dem @ sind kein Problem.',
    email_repeated: 'Geben Sie eine einzige E-Mail-Adresse ein: Das Formular hat mehrere geschickt.',
    platforms_missing: 'Wählen Sie mindestens eine Plattform.',
    platforms_unknown: 'Wählen Sie Plattformen aus der Liste.',
    platforms_not_offered: 'Wählen Sie Plattformen, die zur Kampagne gehören.',
    timezone_invalid: 'Wählen Sie eine gültige Zeitzone, zum Beispiel Europe/Berlin.',
    timezone_repeated: 'Wählen Sie eine einzige Zeitzone: Das Formular hat mehrere geschickt.',
    locale_invalid: 'Wählen Sie eine Sprache aus der Liste.',
    locale_repeated: 'Wählen Sie eine einzige Sprache: Das Formular hat mehrere geschickt.',
    campaign_unknown: 'Diese Kampagne gibt es nicht.',
    consent_missing: 'Bitte setzen Sie das Häkchen, damit wir Ihnen die Erinnerungen schicken dürfen.',
    consent_repeated: 'Das Formular hat das Häkchen zur Einwilligung mehrfach geschickt. Bitte setzen Sie es einmal und senden Sie das Formular noch einmal.',
    form_unreadable: 'Das Formular konnte nicht gelesen werden. Bitte versuchen Sie es noch einmal.',
  },

  errors: {
    too_many_signups: 'Zu viele Anmeldungen aus Ihrem Netz.',
    subscriber_gone: 'Dieser Link funktioniert nicht mehr: Die Anmeldung ist abgelaufen oder wurde gelöscht.',
    platform_not_picked: 'Diese Plattform steht nicht mehr auf Ihrer Liste.',
    not_confirmed: 'Bestätigen Sie zuerst Ihre Anmeldung, mit dem Link aus unserer E-Mail.',
    confirm_raced: 'Diese Anmeldung hat sich inzwischen geändert. Bitte laden Sie die Seite neu.',
    token_invalid: 'Dieser Link ist ungültig. Bitte nehmen Sie den neuesten Link aus Ihrer E-Mail.',
    token_unknown: 'Dieser Link ist ungültig.',
    signup_raced: 'Zu viele gleichzeitige Änderungen an dieser Anmeldung. Bitte schicken Sie das Formular noch einmal.',
    press_button: 'Es wurde nichts geändert: Bitte drücken Sie einen der Knöpfe auf der Seite.',
    objection_not_ticked: 'Es wurde nichts geändert: Setzen Sie das Häkchen, dass Sie widersprochen haben, und drücken Sie dann den Knopf.',
    campaign_unknown: 'Dieser Link gehört zu keiner einzelnen Kampagne.',
    body_unreadable: 'Das Formular konnte nicht gelesen werden. Bitte schicken Sie es noch einmal.',
    unsupported_media_type: 'Diese Art von Anfrage können wir nicht lesen. Schicken Sie ein Formular oder JSON.',
    already_confirmed: 'Das ist schon bestätigt.',
    illegal_transition: 'Das geht beim jetzigen Stand nicht mehr. Bitte laden Sie die Seite neu.',
    cross_site: 'Dieses Formular kam von einer anderen Website, darum wurde nichts geändert. Öffnen Sie die Seite aus Ihrer E-Mail oder auf unserer Website und drücken Sie dort den Knopf.',
  },

  pages: {
    errorTitle: 'Das hat nicht geklappt',
    retryTitle: 'Bitte versuchen Sie es noch einmal',
    tryAgainIn: (seconds) =>
      seconds < 120
        ? `Bitte versuchen Sie es in ${seconds} ${seconds === 1 ? 'Sekunde' : 'Sekunden'} noch einmal.`
        : `Bitte versuchen Sie es in ${Math.ceil(seconds / 60)} Minuten noch einmal.`,
    notFoundTitle: 'Seite nicht gefunden',
    notFound: 'Unter dieser Adresse gibt es nichts.',
    tooLargeTitle: 'Zu viele Daten',
    tooLarge: 'Das Formular hat zu viele Daten geschickt. Bitte kürzen Sie Ihre Eingabe.',
    internalTitle: 'Etwas ist schiefgegangen',
    internal: 'Bei uns ist etwas schiefgegangen. Bitte versuchen Sie es noch einmal.',
    toForm: 'Zum Anmeldeformular',

    doneAndLeft: (done, left) => `${done} erledigt; ${left} noch offen.`,
    doneSoFar: (done) => `${done} erledigt.`,
    noneDoneYet: (left) => `Noch zu tun: ${left}.`,
    allDone: (done) => `Alles erledigt: ${done}. Auf Ihrer Liste ist nichts mehr offen, darum enden die Erinnerungen.`,
    pendingToo: (names) => `Wartet auf Ihre Bestätigung per E-Mail: ${names}.`,
    watchingToo: 'Wir schreiben Ihnen weiterhin, wenn für eine Plattform auf Ihrer Liste eine neue Widerspruchsfrist beginnt.',
    yourList: 'Ihre Liste und Einstellungen',

    confirmTitle: 'Anmeldung bestätigen',
    confirmWhat: 'Mit dem Knopf setzen Sie diese Plattformen auf Ihre Liste; ihre Anleitungen kommen per E-Mail:',
    confirmWatchToo: 'Außerdem sagen Sie damit Ja zu einer E-Mail, sobald für eine Plattform auf Ihrer Liste eine neue Widerspruchsfrist beginnt.',
    confirmWatchOnly: 'Mit dem Knopf sagen Sie Ja zu einer E-Mail, sobald für eine Plattform auf Ihrer Liste eine neue Widerspruchsfrist beginnt.',
    confirmButton: 'Ja, Anleitungen zuschicken',
    confirmWatchButton: 'Ja, über neue Fristen informieren',
    confirmedTitle: 'Sie sind dabei',
    confirmed: (names) => `Bestätigt: ${names}. Die Anleitungen dafür sind unterwegs, in einer E-Mail.`,
    confirmedWatch: 'Außerdem schreiben wir Ihnen, sobald für eine Plattform auf Ihrer Liste eine neue Widerspruchsfrist beginnt.',
    alreadyConfirmedTitle: 'Schon bestätigt',
    alreadyConfirmed: 'Alles, was dieser Link bestätigt, war schon bestätigt. Ihre Anleitungen sind in Ihrem Postfach.',

    objectionAskTitle: (name) => `${name} als erledigt markieren?`,
    objectionAsk: (name) => `Drücken Sie den Knopf, sobald Sie es bei ${name} erledigt haben. Dann erinnern wir Sie nicht mehr daran.`,
    objectionOutdated: (name) => `Eine neue Frist braucht einen neuen Widerspruch bei ${name}, auch wenn Sie früher schon widersprochen haben.`,
    objectionTick: (name) => `Ich habe bei ${name} widersprochen (oder die Einstellung ausgeschaltet).`,
    limitTick: (name) => `Ich habe bei ${name} getan, was die Anleitung sagt.`,
    objectionButton: (name) => `Ich habe bei ${name} widersprochen`,
    limitButton: (name) => `Bei ${name} erledigt`,
    objectionDoneTitle: (name) => `${name} ist erledigt`,
    objectionDoneOn: (name, day) => `Sie haben ${name} am ${day} als erledigt markiert.`,
    undoButton: (name) => `Rückgängig: ${name} ist noch nicht erledigt`,
    backOnListTitle: (name) => `${name} steht wieder auf Ihrer Liste`,
    backOnList: (name) => `Wir erinnern Sie wieder an ${name}.`,
    allDoneTitle: 'Geschafft: Nichts ist mehr offen',

    unsubscribeTitle: 'Abmelden?',
    unsubscribe: 'Sie bekommen keine E-Mails mehr von optout-countdown, und wir löschen Ihre Daten.',
    unsubscribeButton: 'Von allem abmelden',
    leaveCampaignIntro: (title, names) => `Oder beenden Sie nur, wofür die E-Mail zu ${title} war: ${names} kommen von Ihrer Liste, alles andere läuft weiter.`,
    leaveCampaignButton: (title) => `Nur ${title} beenden`,
    leftCampaignTitle: (title) => `Keine E-Mails mehr zu ${title}`,
    leftCampaign: (names) => `${names} stehen nicht mehr auf Ihrer Liste. Alles andere läuft weiter wie bisher; ändern können Sie alles auf Ihrer Einstellungsseite.`,
    notSubscribedTitle: (title) => `Zu ${title} gibt es nichts zu beenden`,
    notSubscribed: (title) =>
      `Dieser Link stammt aus einer E-Mail einer früheren Anmeldung, und keine Plattform von ${title} steht jetzt auf Ihrer Liste. Es wurde nichts geändert. Um zu ändern, was Sie bekommen, nutzen Sie die Links in unserer neuesten E-Mail, oder melden Sie sich hier von allem ab.`,
    unsubscribedTitle: 'Sie sind abgemeldet',
    unsubscribed:
      'Es kommen keine E-Mails mehr. Wir haben Ihre Adresse und Ihre Auswahl gelöscht und behalten nur einen verschlüsselten Fingerabdruck, damit wir Ihnen nie wieder schreiben, außer Sie melden sich neu an.',

    preferencesTitle: 'Ihre Einstellungen',
    yourPlatforms: 'Ihre Liste',
    otherPlatforms: 'Weitere Plattformen, für die wir eine Anleitung haben',
    otherPlatformsHint: 'Wenn Sie eine hinzufügen, steht sie sofort auf Ihrer Liste, und ihre Anleitung kommt per E-Mail.',
    statusDone: (day) => `Erledigt am ${day}`,
    statusLeft: 'Noch zu tun',
    statusPending: 'Wartet auf Ihre Bestätigung per E-Mail',
    statusNotListed: 'Nicht auf Ihrer Liste',
    markDone: (name) => `Ich habe bei ${name} widersprochen`,
    addButton: (name) => `${name} hinzufügen`,
    addNowButton: (name) => `${name} jetzt hinzufügen`,
    dropButton: (name) => `${name} entfernen`,
    added: (names) => `Hinzugefügt: ${names}. Die Anleitung ist per E-Mail unterwegs.`,
    dropped: (names) => `Entfernt: ${names}. Wir erinnern Sie nicht mehr daran.`,
    zoneAndLanguage: 'Zeitzone und Sprache',
    save: 'Speichern',
    saved: 'Gespeichert.',
    watchHeading: 'Neue Fristen',
    watching: 'Wir schreiben Ihnen, sobald für eine Plattform auf Ihrer Liste eine neue Widerspruchsfrist beginnt.',
    notWatching: 'Über neue Fristen schreiben wir Ihnen nicht.',
    watchStop: 'Nicht mehr über neue Fristen informieren',
    watchStart: 'Über neue Fristen informieren',
    watchStarted: 'Ab jetzt schreiben wir Ihnen, sobald für eine Plattform auf Ihrer Liste eine neue Widerspruchsfrist beginnt.',
    watchStopped: 'Über neue Fristen schreiben wir Ihnen nicht mehr. Ihre Erinnerungen laufen weiter.',
    keepWatchingTitle: 'Weiter aufpassen?',
    keepWatching: 'Drücken Sie den Knopf, und wir schreiben Ihnen weiter, wenn für Ihre Plattformen eine neue Widerspruchsfrist beginnt; in einem Jahr fragen wir wieder.',
    keepWatchingButton: 'Ja, weiter aufpassen',
    keptWatchingTitle: 'Wir passen weiter auf',
    keptWatching: (day) => `Danke. Wir fragen wieder um den ${day}.`,
    yourData: 'Ihre Daten',
    erasedOn: (day) => `Wenn Sie keine Plattform hinzufügen und für keine Ihrer Plattformen eine neue Frist beginnt, löschen wir Ihre Daten am ${day}.`,
    download: 'Alles herunterladen, was wir über Sie speichern (JSON)',
    deleteIntro: 'Löschen: beendet alle E-Mails und löscht Ihre Daten sofort.',
    deleteButton: 'Meine Daten löschen',
    erasedTitle: 'Ihre Daten sind gelöscht',
    erased:
      'Es kommen keine E-Mails mehr. Wir haben Ihre Adresse und Ihre Auswahl gelöscht und behalten nur einen verschlüsselten Fingerabdruck, damit wir Ihnen nie wieder schreiben, außer Sie melden sich neu an.',
    exportNote:
      'Darüber hinaus speichern wir nur tägliche Zählungen, die nicht mit Ihnen verknüpft sind, und 30 Tage lang, nachdem eine E-Mail an Sie eine Zeit lang nicht zugestellt werden konnte, wie oft das geschah, unter einem verschlüsselten Fingerabdruck Ihrer Adresse.',
  },

  privacy: {
    title: 'Datenschutz',
    intro: 'optout-countdown soll Ihnen helfen, Ihre Daten aus dem KI-Training herauszuhalten. Deshalb speichert es so wenig wie möglich von Ihnen.',
    whatHeading: 'Was wir speichern, und wozu',
    what: [
      'Ihre E-Mail-Adresse: um Ihnen die Anleitung, die Erinnerungen und gelegentlich einen Newsletter zur selben Kampagne zu schicken.',
      'Die gewählten Plattformen und welche Sie als erledigt markiert haben: damit jede Erinnerung nur nennt, was noch offen ist.',
      'Ihre Zeitzone und Sprache: damit die Erinnerungen morgens und in Ihrer Sprache ankommen.',
      'Wann Sie eingewilligt haben und in welche Fassung des Einwilligungstexts: Das Gesetz verlangt, dass wir die Einwilligung nachweisen können.',
      'Welche E-Mails an Sie gingen (Kennungen und Daten, nicht der Inhalt): damit Sie keine E-Mail doppelt bekommen.',
    ],
    howLongHeading: 'Wie lange',
    howLong: (pendingDays, graceDays) => [
      `Eine unbestätigte Anmeldung löschen wir nach ${pendingDays} Tagen.`,
      `Sobald nichts auf Ihrer Liste eine weitere Erinnerung bringen kann (am Morgen nach einer Frist, oder einige Tage nachdem Sie eine Plattform ohne Frist hinzugefügt haben), löschen wir alles über Sie automatisch ${graceDays} Tage später: lange genug für einen letzten Newsletter. Ihre Einstellungsseite nennt den Tag.`,
      'Wenn Sie sich abmelden oder „Meine Daten löschen“ drücken, löschen wir Ihre Daten sofort. Wir behalten nur einen verschlüsselten Fingerabdruck (Hash) Ihrer Adresse, das Datum und den Grund, damit wir Ihnen nie wieder schreiben, außer Sie melden sich neu an.',
      'Wir zählen pro Tag, wie viele sich angemeldet, bestätigt, widersprochen, eine E-Mail bekommen haben oder unzustellbar waren: nur Zahlen, ohne etwas, das auf Sie verweist.',
      'Wenn Sie uns gebeten haben, auf neue Fristen zu achten, und gerade nichts für Sie läuft, fragen wir einmal im Jahr, ob wir weiter aufpassen sollen (ein Knopf); antworten Sie nicht binnen 30 Tagen, löschen wir Ihre Daten.',
    ],
    neverHeading: 'Was wir nie tun',
    never:
      'Keine Tracking-Pixel, keine umgeschriebenen Links, keine Werbung, keine Weitergabe. Newsletter sind schlichte E-Mails wie die Erinnerungen: Wir wissen nicht, ob Sie sie geöffnet haben. Ihre IP-Adresse nutzen wir nur verschlüsselt, um Missbrauch zu bremsen, und speichern sie nicht.',
    rightsHeading: 'Ihre Rechte',
    rights:
      'Jede E-Mail enthält einen Link zu Ihren Einstellungen: Dort können Sie alles, was wir speichern, als Datei herunterladen, ändern oder löschen. Jede E-Mail hat außerdem einen Abmeldelink, der Ihre Daten mit einem Klick löscht.',
  },

  email: {
    names: (names: readonly string[]) => (names.length <= 3 ? de.listOf(names) : `${names.slice(0, 2).join(', ')} und ${names.length - 2} weitere`),
    namesShort: (first: string, more: number) => `${first} und ${more} weitere`,
    confirm: {
      subject: (names: string, count: number) => (count === 1 ? `Bitte bestätigen: Anleitung für ${names}` : `Bitte bestätigen: Anleitungen für ${names}`),
      subjectWatch: 'Bitte bestätigen: Nachricht bei neuen Widerspruchsfristen',
      preview: 'Ein Klick, und Ihre Anleitungen kommen sofort.',
      previewWatch: 'Ein Klick, und wir schreiben Ihnen, wenn eine neue Widerspruchsfrist beginnt.',
      heading: 'Bitte bestätigen Sie Ihre Adresse',
      intro: (names: string, count: number) =>
        `Jemand, hoffentlich Sie, hat optout-countdown gebeten, dieser Adresse ${count === 1 ? 'eine Anleitung' : 'je eine Anleitung'} für ${names} zu schicken, danach Erinnerungen, bis alles erledigt ist, nie mehr als eine E-Mail am Tag.`,
      introWatch: 'Jemand, hoffentlich Sie, hat optout-countdown gebeten, dieser Adresse zu schreiben, wenn für eine Plattform auf ihrer Liste eine neue Widerspruchsfrist beginnt.',
      watchToo: 'Derselbe Knopf sagt auch Ja zu einer E-Mail, wenn für eine Plattform auf Ihrer Liste eine neue Widerspruchsfrist beginnt.',
      button: 'Ja, Anleitungen schicken',
      buttonWatch: 'Ja, über neue Fristen informieren',
      ignore: (days: number) => `Waren Sie das nicht? Dann ignorieren Sie diese E-Mail: Es kommt nichts mehr, und die Anfrage wird innerhalb von ${days} Tagen gelöscht.`,
    },
    welcome: {
      subject: (names: string, count: number) => (count === 1 ? `Ihre Anleitung für ${names}` : `Ihre Anleitungen für ${names}`),
      preview: (count: number) => (count === 1 ? 'Der heutige Schritt, mit Link.' : 'Der heutige Schritt auf jeder gewählten Plattform, mit Link.'),
      heading: 'Was Sie heute tun können',
      intro: (count: number) =>
        count === 1
          ? 'Unten steht, was zu tun ist, wo und wie. Wenn Sie es getan haben, drücken Sie den Knopf unter den Schritten, und wir erinnern Sie nicht mehr daran.'
          : 'Unten steht für jede Plattform, die Sie hinzugefügt haben, was zu tun ist, wo und wie. Wenn Sie eine erledigt haben, drücken Sie den Knopf unter ihren Schritten, und wir erinnern Sie nicht mehr daran.',
      wholeList: (names: string, count: number) =>
        count === 1 ? `Auf Ihrer Liste steht jetzt eine Plattform: ${names}.` : `Auf Ihrer Liste stehen jetzt ${count} Plattformen: ${names}.`,
      othersLeft: (names: string) => `Von früher noch zu tun: ${names}.`,
      mornings: 'Bis alles erledigt ist, zählt ab und zu eine E-Mail am Morgen auf, was noch offen ist, nie mehr als eine am Tag.',
    },
    morning: {
      subjectDeadline: (countdown: string, names: string, action: 'form' | 'setting') =>
        action === 'form' ? `${countdown}: Widerspruch bei ${names}` : `${countdown}: Einstellung bei ${names} ausschalten`,
      subject: (names: string) => `Noch zu tun: ${names}`,
      preview: 'Der heutige Schritt für jede Plattform, die noch auf Ihrer Liste steht.',
      heading: 'Noch auf Ihrer Liste',
      intro: (names: string, count: number) =>
        count === 1
          ? `Noch zu tun: ${names}. Wenn Sie es erledigt haben, drücken Sie den Knopf dazu, und wir erinnern Sie nicht mehr daran.`
          : `Noch zu tun: ${names}. Wenn Sie eine Plattform erledigt haben, drücken Sie ihren Knopf, und wir erinnern Sie nicht mehr daran.`,
    },
    list: {
      region: (region: string) => `Betrifft: ${region}.`,
      done: (names: string) => `Schon erledigt: ${names}.`,
      deadline: (organisation: string, lastMoment: string) => `Sie können der Nutzung Ihrer Daten durch ${organisation} bis ${lastMoment} widersprechen.`,
    },
    announcement: {
      subject: (names: string, countdown: string) => `Neue Frist für ${names}: ${countdown}`,
      preview: (organisation: string) => `${organisation} hat eine neue Widerspruchsfrist gesetzt; so widersprechen Sie rechtzeitig.`,
      heading: (organisation: string) => `${organisation} hat eine neue Widerspruchsfrist eröffnet`,
      why: (names: string, anyLeft: boolean) =>
        `Sie wollten Bescheid bekommen, wenn für eine Plattform, die Sie nutzen, eine neue Widerspruchsfrist beginnt. Diese betrifft ${names}; ${
          anyLeft ? 'Ihre E-Mails am Morgen zählen jetzt auf sie herunter' : 'was Sie schon getan haben, zählt auch für sie, es bleibt also nichts zu tun'
        }.`,
      guidesIntro: (count: number) =>
        count === 1 ? 'So widersprechen Sie rechtzeitig, Schritt für Schritt:' : 'So widersprechen Sie rechtzeitig auf jeder dieser Plattformen, Schritt für Schritt:',
      headingPassed: (organisation: string) => `Die Frist von ${organisation} ist abgelaufen`,
      previewPassed: 'Was jetzt noch hilft, Plattform für Plattform.',
      notForMeIntro: 'Nichts für Sie?',
      notForMe: 'Ändern Sie, an welche Plattformen wir Sie erinnern',
    },
    keepWatching: {
      yourPlatforms: 'Ihre Plattformen',
      subject: (names: string) => `Neue Fristen für ${names} weiter melden?`,
      preview: (day: string) => `Ein Klick, und wir passen weiter auf; sonst löschen wir Ihre Daten am ${day}.`,
      heading: 'Sollen wir weiter für Sie aufpassen?',
      intro: (platforms: string) =>
        `Sie haben uns gebeten, Ihnen zu schreiben, wenn für ${platforms} eine neue Widerspruchsfrist beginnt. Gerade steht keine Erinnerung mehr an, darum fragen wir, bevor wir Ihre Adresse ein weiteres Jahr behalten.`,
      button: 'Ja, bitte weiter aufpassen',
      erase: (day: string) => `Kein Interesse mehr? Dann tun Sie nichts: Am ${day} löschen wir Ihre Adresse und Ihre Auswahl.`,
      why: 'Sie bekommen diese E-Mail, weil Sie optout-countdown gebeten haben, auf neue Widerspruchsfristen zu achten.',
    },
    guide: {
      deadlineToday: (countdown: string, name: string, action: 'form' | 'setting') =>
        action === 'form' ? `${countdown}, um bei ${name} zu widersprechen.` : `${countdown}, um die Einstellung bei ${name} auszuschalten.`,
      link: (name: string, action: 'form' | 'setting') => (action === 'form' ? `Widerspruchsformular für ${name} öffnen` : `Einstellung für ${name} öffnen`),
      doneLabel: 'Erledigt heißt:',
      doneSameAs: (name: string) => `wie bei ${name}.`,
      stepsSameAs: (name: string, from: number, to: number) => (from === to ? `Schritt ${from} wie bei ${name} oben.` : `Schritte ${from} bis ${to} wie bei ${name} oben.`),
      button: {
        form: (name: string) => `Ich habe bei ${name} widersprochen`,
        setting: (name: string) => `Ich habe es bei ${name} ausgeschaltet`,
        limit: (name: string) => `${name} als erledigt markieren`,
      },
      markOutdated: (name: string) =>
        `Sie hatten ${name} als erledigt markiert, bevor eine neuere Frist alle zum erneuten Handeln aufrief; darum steht es wieder auf Ihrer Liste.`,
    },
    footer: {
      why: (confirmedOn: string) =>
        `Sie bekommen diese E-Mail, weil Sie optout-countdown um Erinnerungen für die Plattformen gebeten haben, die Sie nutzen, und Ihre Adresse am ${confirmedOn} bestätigt haben.`,
      whyUndated: 'Sie bekommen diese E-Mail, weil Sie optout-countdown um Erinnerungen für die Plattformen gebeten haben, die Sie nutzen, und Ihre Adresse bestätigt haben.',
      preferences: 'Ihre Liste, Ihre Einstellungen, Ihre Daten',
      unsubscribe: 'Abmelden',
      privacy: 'Datenschutz',
    },
  },

  // Das Formular: Plattformen nach Unternehmen, jede mit dem, was heute zu tun ist, und ihrer Anleitung einen Klick entfernt.
  campaignForm: {
    intro:
      'Wählen Sie die Plattformen, die Sie nutzen. Wir schicken Ihnen, was Sie heute auf jeder tun können, Schritt für Schritt, und dann einige Erinnerungen, bis Sie uns sagen, dass es erledigt ist: vor einer Frist, oder in den Tagen, nachdem Sie eine Plattform hinzugefügt haben. Sonst nichts, und kein Tracking.',
    groups: { meta: 'Meta-Apps', google: 'Google', microsoft: 'Microsoft', openai: 'OpenAI', anthropic: 'Anthropic', x: 'X' },
    noDeadlineOpen: 'Gerade läuft keine Widerspruchsfrist: Unten steht, was Sie heute auf jeder Plattform tun können.',
    standing: 'Jetzt ausschalten',
    standingHint: 'Keine Frist: Diese Einstellung lässt sich jederzeit ausschalten und schützt alles, was Sie ab dann tun.',
    howTo: 'So geht es, Schritt für Schritt',
    formLink: 'Zum Widerspruchsformular',
    settingLink: 'Zur Einstellung',
    doneLabel: 'Erledigt:',
    checkedOn: (day) => `Fakten geprüft am ${day}.`,
    sources: 'Quellen:',
    watch: 'Schreiben Sie mir auch, wenn für diese Plattformen eine neue Widerspruchsfrist beginnt.',
    watchHint:
      'Freiwillig und getrennt: Auch ohne das bekommen Sie die Anleitungen und Erinnerungen. Höchstens ein paar E-Mails im Jahr; läuft nichts für Sie, fragen wir einmal im Jahr, ob wir weiter aufpassen sollen, und löschen Ihre Daten, wenn Sie nicht binnen 30 Tagen antworten.',
  },
  // --- Issue 14 (calendar, public count): added in one block ---
  calendar: {
    summary: (title) => `Letzter Tag für den Widerspruch: ${title}`,
    description: (title, lastMoment, link) =>
      `${title}: Sie können bis ${lastMoment} widersprechen. Der Widerspruch dauert nur ein paar Minuten: ${link}`,
    alarm: (title) => `Morgen ist der letzte Tag für den Widerspruch: ${title}`,
    addLinkFor: (organisation) => `Die Frist von ${organisation} in meinen Kalender eintragen`,
  },
  methodNotAllowed: {
    title: 'Nicht auf diesem Weg',
    message: 'Diese Seite gibt es, aber nicht für diese Art von Anfrage.',
  },
  publicCount: (count) => `${count} Menschen haben über optout-countdown widersprochen`,
};
