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
    intro:
      'Melden Sie sich an, und wir schicken Ihnen für jede Plattform, die Sie nutzen, eine kurze Anleitung und vor Ablauf der Frist Erinnerungen, bis Sie uns sagen, dass Sie widersprochen haben. Sonst nichts, und ohne Tracking.',
    deadlineLabel: 'Frist:',
    errorTitle: (title) => `Fehler: ${title}`,
    errorSummary: 'Bitte prüfen Sie das Formular',
    email: 'E-Mail-Adresse',
    platformsLegend: 'Welche Plattformen nutzen Sie?',
    platformsLegendFor: (title) => `${title}: Welche Plattformen nutzen Sie?`,
    timezone: 'Ihre Zeitzone',
    timezoneHint: 'Die Erinnerungen kommen morgens, nach Ihrer Uhrzeit. Beispiel: Europe/Berlin.',
    locale: 'Sprache der E-Mails',
    honeypot: 'Dieses Feld bitte leer lassen',
    consent:
      'Ich bin einverstanden, dass optout-countdown meine E-Mail-Adresse, die gewählten Plattformen, meine Zeitzone und Sprache speichert, um mir eine Bestätigung, Widerspruchsanleitungen und Erinnerungen an die Fristen der gewählten Kampagnen zu schicken. Ich kann mich jederzeit mit einem Klick abmelden oder meine Daten löschen.',
    submit: 'Anleitungen zuschicken',
    storedHint: 'Wir speichern nur Ihre E-Mail-Adresse, Ihre Auswahl, Zeitzone, Sprache und wann Sie eingewilligt haben.',
    privacyLink: 'Zur Datenschutzseite',
    checkInboxTitle: 'Sehen Sie in Ihr Postfach',
    checkInbox:
      'Wenn an diese Adresse Erinnerungen gehen können, ist eine E-Mail mit einem Bestätigungsknopf unterwegs. Drücken Sie ihn, und Ihre Anleitungen folgen sofort.',
    checkInboxSeveral: 'Eine E-Mail bestätigt alle gewählten Kampagnen; jede schickt danach ihre eigene Anleitung.',
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

    confirmTitle: 'Anmeldung bestätigen',
    confirmIntro: (title) => `Ein Klick, und wir schicken Ihnen die Anleitungen für ${title}, dann Erinnerungen vor Ablauf der Frist.`,
    confirmWhat: 'Mit dem Knopf bestätigen Sie:',
    confirmWatch: 'eine E-Mail, sobald eine neue Widerspruchsfrist für Ihre Plattformen beginnt',
    confirmNothing: 'Alles aus dieser Anmeldung ist schon bestätigt.',
    confirmButton: 'Ja, Anleitungen zuschicken',
    confirmedTitle: 'Sie sind dabei',
    confirmed: 'Danke. Ihre Anleitung ist unterwegs: Sie enthält die Schritte für jede gewählte Plattform.',
    confirmedSeveral: (titles) => `Danke. Für jede Kampagne ist eine Anleitung unterwegs: ${titles}.`,
    alreadyConfirmedTitle: 'Schon bestätigt',
    alreadyConfirmed: 'Diese Adresse war schon bestätigt. Ihre Anleitung ist in Ihrem Postfach.',
    changePreferences: 'Plattformen oder Zeitzone ändern',

    objectionDoneTitle: (name) => `${name} ist erledigt`,
    objectionAskTitle: (name) => `${name} als erledigt markieren?`,
    objectionNoMoreReminders: (name) => `Wir erinnern Sie nicht mehr an ${name}.`,
    objectionAsk: (name) => `Drücken Sie den Knopf, sobald Sie bei ${name} widersprochen haben. Dann erinnern wir Sie nicht mehr daran.`,
    objectionTick: (name) => `Ich habe bei ${name} widersprochen (oder die Einstellung ausgeschaltet).`,
    objectionButton: (name) => `Ich habe bei ${name} widersprochen`,
    undoButton: (name) => `Rückgängig: ${name} ist noch nicht erledigt`,
    backOnListTitle: (name) => `${name} steht wieder auf Ihrer Liste`,
    backOnList: (name) => `Wir erinnern Sie wieder an ${name}.`,
    allDoneTitle: 'Geschafft: Sie haben überall widersprochen',
    allDone: 'Sie haben auf jeder gewählten Plattform widersprochen. Die Erinnerungen enden hier.',
    stillToDo: (names) => `Noch offen: ${names}. Ihre nächste Erinnerung nennt nur noch diese.`,
    seeAllPlatforms: 'Alle Ihre Plattformen ansehen',

    unsubscribeTitle: 'Abmelden?',
    unsubscribe: 'Sie bekommen keine E-Mails mehr von optout-countdown, und wir löschen Ihre Daten.',
    unsubscribeButton: 'Von allem abmelden',
    leaveCampaignIntro: (title) => `Oder beenden Sie nur die E-Mails zu ${title} und behalten die anderen:`,
    leaveCampaignButton: (title) => `Nur ${title} beenden`,
    leftCampaignTitle: (title) => `Keine E-Mails mehr zu ${title}`,
    leftCampaign: 'Ihre anderen Kampagnen laufen weiter wie bisher. Alles Weitere ändern Sie auf Ihrer Einstellungsseite.',
    notSubscribedTitle: (title) => `Zu ${title} gibt es nichts zu beenden`,
    notSubscribed: (title) =>
      `Dieser Link stammt aus einer E-Mail einer früheren Anmeldung, und Ihre Anmeldung seitdem bekommt keine E-Mails zu ${title}. Es wurde nichts geändert. Um zu ändern, was Sie bekommen, nutzen Sie die Links in unserer neuesten E-Mail, oder melden Sie sich hier von allem ab.`,
    unsubscribedTitle: 'Sie sind abgemeldet',
    unsubscribed:
      'Es kommen keine E-Mails mehr. Wir haben Ihre Adresse und Ihre Auswahl gelöscht und behalten nur einen verschlüsselten Fingerabdruck, damit wir Ihnen nie wieder schreiben, außer Sie melden sich neu an.',

    preferencesTitle: 'Ihre Einstellungen',
    yourCampaigns: 'Ihre Kampagnen',
    campaignEnded: 'Diese Kampagne haben Sie beendet.',
    campaignPending: 'Wartet auf Ihre Bestätigung per E-Mail.',
    platformsYouUse: 'Die Plattformen, die Sie nutzen',
    watching: 'Wir schreiben Ihnen, sobald für diese Plattformen eine neue Widerspruchsfrist beginnt.',
    markDone: (name) => `Ich habe bei ${name} widersprochen`,
    erasedOn: (day) => `Wenn keine neue Kampagne für Sie beginnt, löschen wir Ihre Daten am ${day}.`,
    keepWatchingTitle: 'Weiter aufpassen?',
    keepWatching: 'Drücken Sie den Knopf, und wir schreiben Ihnen weiter, wenn für Ihre Plattformen eine neue Widerspruchsfrist beginnt; in einem Jahr fragen wir wieder.',
    keepWatchingButton: 'Ja, weiter aufpassen',
    keptWatchingTitle: 'Wir passen weiter auf',
    keptWatching: (day) => `Danke. Wir fragen wieder um den ${day}.`,
    saved: 'Gespeichert.',
    until: (lastMoment) => `bis ${lastMoment}`,
    platformsToRemind: 'Plattformen, an die wir Sie erinnern',
    toDo: '(offen)',
    done: '(erledigt)',
    save: 'Speichern',
    yourData: 'Ihre Daten',
    download: 'Alles herunterladen, was wir über Sie speichern (JSON)',
    deleteIntro: 'Löschen: beendet alle E-Mails aller Kampagnen und löscht Ihre Daten sofort.',
    erasedTitle: 'Ihre Daten sind gelöscht',
    erased:
      'Es kommen keine E-Mails mehr, aus keiner Kampagne. Wir haben Ihre Adresse und Ihre Auswahl gelöscht und behalten nur einen verschlüsselten Fingerabdruck, damit wir Ihnen nie wieder schreiben, außer Sie melden sich neu an.',
    exportNote:
      'Darüber hinaus speichern wir nur tägliche Zählungen, die nicht mit Ihnen verknüpft sind, und 30 Tage lang, nachdem eine E-Mail an Sie eine Zeit lang nicht zugestellt werden konnte, wie oft das geschah, unter einem verschlüsselten Fingerabdruck Ihrer Adresse.',
    deleteButton: 'Meine Daten löschen',
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
      `Ist eine Kampagne vorbei, löschen wir alles über ihre Abonnentinnen und Abonnenten automatisch, ${graceDays} Tage nach Ablauf der Frist (oder nach Ihrer Bestätigung, falls Sie sich später angemeldet haben): lange genug für die Nachricht nach der Frist und einen letzten Newsletter.`,
      'Wenn Sie sich abmelden oder „Meine Daten löschen“ drücken, löschen wir Ihre Daten sofort. Wir behalten nur einen verschlüsselten Fingerabdruck (Hash) Ihrer Adresse, das Datum und den Grund, damit wir Ihnen nie wieder schreiben, außer Sie melden sich neu an.',
      'Wir zählen pro Tag, wie viele sich angemeldet, bestätigt, widersprochen, eine E-Mail bekommen haben oder unzustellbar waren: nur Zahlen, ohne etwas, das auf Sie verweist.',
      'Wenn Sie uns gebeten haben, auf neue Fristen zu achten, und gerade nichts für Sie läuft, fragen wir einmal im Jahr, ob wir weiter aufpassen sollen (ein Knopf); antworten Sie nicht binnen 30 Tagen, löschen wir Ihre Daten.',
    ],
    erasedOn: (title, day) => `${title}: am ${day}, für alle, die vor Ablauf der Frist bestätigt haben.`,
    neverHeading: 'Was wir nie tun',
    never:
      'Keine Tracking-Pixel, keine umgeschriebenen Links, keine Werbung, keine Weitergabe. Newsletter sind schlichte E-Mails wie die Erinnerungen: Wir wissen nicht, ob Sie sie geöffnet haben. Ihre IP-Adresse nutzen wir nur verschlüsselt, um Missbrauch zu bremsen, und speichern sie nicht.',
    rightsHeading: 'Ihre Rechte',
    rights:
      'Jede E-Mail enthält einen Link zu Ihren Einstellungen: Dort können Sie alles, was wir speichern, als Datei herunterladen, ändern oder löschen. Jede E-Mail hat außerdem einen Abmeldelink, der Ihre Daten mit einem Klick löscht.',
  },

  email: {
    confirm: {
      subject: (title) => `Bitte bestätigen: ${title}`,
      subjectSeveral: (count) => `Bitte bestätigen: ${count} Kampagnen`,
      preview: 'Ein Klick, und Anleitungen und Erinnerungen beginnen.',
      heading: 'Bitte bestätigen Sie Ihre Adresse',
      intro: (title) =>
        `Jemand, hoffentlich Sie, hat optout-countdown gebeten, Schritt-für-Schritt-Anleitungen und Erinnerungen an die Frist für ${title} an diese Adresse zu schicken. Ein Knopf bestätigt alles.`,
      button: 'Ja, Anleitungen zuschicken',
      ignore: (days) => `Waren Sie das nicht? Dann ignorieren Sie diese E-Mail: Es kommt nichts mehr, und die Anfrage wird innerhalb von ${days} Tagen gelöscht.`,
    },
    welcome: {
      subject: (countdown, organisation) => `${countdown}: So widersprechen Sie bei ${organisation}`,
      preview: (countdown) => `${countdown}. So widersprechen Sie auf jeder gewählten Plattform.`,
      guidesIntro:
        'Unten finden Sie eine Anleitung für jede gewählte Plattform. Wenn Sie auf einer widersprochen haben, drücken Sie ihren Knopf: Dann erinnern wir Sie nicht mehr daran.',
    },
    reminder: {
      subject: (countdown, organisation) => `${countdown}: Widersprechen Sie dem KI-Training von ${organisation}`,
      preview: (platforms) => `Noch offen: ${platforms}.`,
      stillToDo: 'Noch offen:',
      hint: 'Jede Anleitung unten dauert nur ein paar Minuten. Wenn Sie eine erledigt haben, drücken Sie ihren Knopf, und wir erinnern Sie nicht mehr daran.',
    },
    afterDeadline: {
      subject: (organisation) => `Die Frist bei ${organisation} ist abgelaufen: Widersprechen hilft trotzdem`,
      preview: 'Ein Widerspruch schützt weiterhin alles, was Sie ab jetzt veröffentlichen.',
      heading: 'Die Frist ist abgelaufen',
      stillOpen: 'Noch offen auf Ihrer Liste:',
      lastEmail: (title) => `Die Anleitungen unten gelten weiter. Dies ist unsere letzte E-Mail zu ${title}.`,
    },
    keepWatching: {
      subject: 'Weiter über neue Widerspruchsfristen informieren?',
      preview: (day) => `Ein Klick, und wir passen weiter auf; sonst löschen wir Ihre Daten am ${day}.`,
      heading: 'Sollen wir weiter für Sie aufpassen?',
      intro: (platforms) =>
        `Vor einem Jahr haben Sie uns gebeten zu schreiben, wenn für ${platforms} eine neue Widerspruchsfrist beginnt. Gerade läuft nichts für Sie, darum fragen wir, bevor wir Ihre Adresse ein weiteres Jahr behalten.`,
      button: 'Ja, weiter aufpassen',
      erase: (day) => `Kein Interesse mehr? Dann tun Sie nichts: Am ${day} löschen wir Ihre Adresse und Ihre Auswahl.`,
      why: 'Sie bekommen diese E-Mail, weil Sie optout-countdown gebeten haben, auf neue Widerspruchsfristen zu achten.',
    },
    announcement: {
      subject: (organisation, countdown) => `Neue Frist: Widersprechen Sie dem KI-Training von ${organisation} (${countdown})`,
      preview: (platforms) => `Eine neue Widerspruchsfrist für ${platforms}, die Sie nutzen.`,
      heading: (organisation) => `${organisation} hat eine neue Widerspruchsfrist eröffnet`,
      why: (platforms) =>
        `Sie wollten Bescheid bekommen, wenn für Ihre Plattformen eine neue Frist beginnt. Diese betrifft ${platforms}, darum haben wir sie zu Ihren Erinnerungen hinzugefügt.`,
      guidesIntro: 'So widersprechen Sie auf jeder Ihrer Plattformen. Sobald Sie es getan haben, drücken Sie den jeweiligen Knopf, und wir erinnern Sie nicht mehr daran.',
      notForMeIntro: 'Nichts für Sie?',
      notForMe: 'Diese Kampagne verlassen (Ihre anderen Erinnerungen bleiben)',
    },
    guide: {
      form: 'Widerspruchsformular:',
      setting: 'Zur Einstellung:',
      doneMeans: 'Erledigt heißt:',
      objectedButton: (name) => `Ich habe bei ${name} widersprochen`,
    },
    footer: {
      why: (title, confirmedOn) =>
        `Sie erhalten diese E-Mail, weil Sie Erinnerungen zu ${title} bestellt und Ihre Adresse am ${confirmedOn} bestätigt haben.`,
      preferences: 'Einstellungen ändern oder Daten herunterladen',
      unsubscribe: 'Abmelden',
      privacy: 'Datenschutz',
    },
  },

  // Kampagnen, die kommen und gehen (Issue 12): Plattformgruppen, Karten und die Beobachtung.
  campaignForm: {
    intro:
      'Wählen Sie die Plattformen, die Sie nutzen. Wir schicken Ihnen für jede eine kurze Anleitung und dann einige Erinnerungen, bis Sie uns sagen, dass Sie fertig sind: vor einer Frist, oder in den Tagen nach der Anmeldung für eine Einstellung ohne Frist. Sonst nichts, und kein Tracking.',
    groups: { meta: 'Meta-Apps', google: 'Google', microsoft: 'Microsoft', x: 'X' },
    noDeadlineOpen: 'Gerade läuft keine Widerspruchsfrist, aber jede Einstellung unten lässt sich noch heute ausschalten.',
    noDeadlineOpenPastOnly: 'Gerade läuft keine Widerspruchsfrist, aber auch ein später Widerspruch schützt, was Sie ab dann teilen.',
    forPlatforms: (names: string) => `Für ${names}`,
    standing: 'Jetzt ausschalten',
    standingHint: 'Keine Frist: Diese Einstellung lässt sich jederzeit ausschalten und schützt alles, was Sie ab dann tun.',
    howTo: 'So geht es, Schritt für Schritt',
    formLink: 'Zum Widerspruchsformular',
    settingLink: 'Zur Einstellung',
    checkedOn: (day: string) => `Fakten geprüft am ${day}.`,
    sources: 'Quellen:',
    watch: 'Schreiben Sie mir auch, wenn für diese Plattformen eine neue Widerspruchsfrist beginnt.',
    watchHint:
      'Freiwillig und getrennt: Auch ohne das bekommen Sie die Anleitungen und Erinnerungen. Höchstens ein paar E-Mails im Jahr; läuft nichts für Sie, fragen wir einmal im Jahr, ob wir weiter aufpassen sollen, und löschen Ihre Daten, wenn Sie nicht binnen 30 Tagen antworten.',
    erasedAfterConfirm: (title: string, days: number) => `${title}: ${days} Tage nach Ihrer Bestätigung.`,
  },
  // --- Issue 14 (calendar, public count): added in one block ---
  calendar: {
    summary: (title) => `Letzter Tag für den Widerspruch: ${title}`,
    description: (title, lastMoment, link) =>
      `${title}: Sie können bis ${lastMoment} widersprechen. Der Widerspruch dauert nur ein paar Minuten: ${link}`,
    alarm: (title) => `Morgen ist der letzte Tag für den Widerspruch: ${title}`,
    addLink: 'Die Frist in meinen Kalender eintragen',
  },
  methodNotAllowed: {
    title: 'Nicht auf diesem Weg',
    message: 'Diese Seite gibt es, aber nicht für diese Art von Anfrage.',
  },
  publicCount: (count) => `${count} Menschen haben über optout-countdown widersprochen`,
};
