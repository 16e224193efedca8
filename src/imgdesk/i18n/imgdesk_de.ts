<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
    <context>
        <name>AccountControls</name>
        <message numerus="yes">
            <source>{count} credit(s)</source>
            <translation>
                <numerusform>{count} Credit</numerusform>
                <numerusform>{count} Credits</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>AccountModel</name>
        <message>
            <source>Opening the payment page…</source>
            <translation>Die Zahlungsseite wird geöffnet…</translation>
        </message>
        <message>
            <source>Waiting for the payment in your browser…</source>
            <translation>Warten auf die Zahlung in Ihrem Browser…</translation>
        </message>
        <message>
            <source>The purchase was cancelled. No money was taken.</source>
            <translation>Der Kauf wurde abgebrochen. Es wurde kein Geld abgebucht.</translation>
        </message>
    </context>
    <context>
        <name>App</name>
        <message>
            <source>imgdesk cannot use its data folder {folder}: {reason}</source>
            <translation>imgdesk kann seinen Datenordner {folder} nicht verwenden: {reason}</translation>
        </message>
    </context>
    <context>
        <name>BatchDialog</name>
        <message>
            <source>Batch variants</source>
            <translation>Stapel-Varianten</translation>
        </message>
        <message>
            <source>Load prompts…</source>
            <translation>Prompts laden…</translation>
        </message>
        <message>
            <source>Start</source>
            <translation>Starten</translation>
        </message>
        <message>
            <source>Export all…</source>
            <translation>Alle exportieren…</translation>
        </message>
        <message>
            <source>Export starred…</source>
            <translation>Markierte exportieren…</translation>
        </message>
        <message>
            <source>Variants per prompt</source>
            <translation>Varianten pro Prompt</translation>
        </message>
        <message>
            <source>Type at least one prompt (one per line).</source>
            <translation>Geben Sie mindestens einen Prompt ein (einen pro Zeile).</translation>
        </message>
        <message>
            <source>Exported {count} pictures to {folder}.</source>
            <translation>{count} Bilder nach {folder} exportiert.</translation>
        </message>
        <message>
            <source>Prompts</source>
            <translation>Prompts</translation>
        </message>
        <message>
            <source>Prompts (*.txt *.csv)</source>
            <translation>Prompts (*.txt *.csv)</translation>
        </message>
        <message>
            <source>Export to</source>
            <translation>Exportieren nach</translation>
        </message>
        <message>
            <source>{done}/{count} done · {text}</source>
            <translation>{done}/{count} fertig · {text}</translation>
        </message>
    </context>
    <context>
        <name>CompareView</name>
        <message>
            <source>Compare divider</source>
            <translation>Vergleichstrenner</translation>
        </message>
        <message>
            <source>Drag to compare: original on the left, result on the right (← →)</source>
            <translation>Zum Vergleichen ziehen: links das Original, rechts das Ergebnis (← →)</translation>
        </message>
    </context>
    <context>
        <name>CrashDialog</name>
        <message>
            <source>imgdesk: unexpected problem</source>
            <translation>imgdesk: unerwartetes Problem</translation>
        </message>
        <message>
            <source>imgdesk hit a problem it did not expect.</source>
            <translation>imgdesk ist auf ein unerwartetes Problem gestoßen.</translation>
        </message>
        <message>
            <source>You can keep working, but save your picture soon. The details were written to the log file below; attach it when you report the problem.</source>
            <translation>Sie können weiterarbeiten, sollten Ihr Bild aber bald speichern. Die Details stehen in der unten genannten Protokolldatei; hängen Sie sie an, wenn Sie das Problem melden.</translation>
        </message>
        <message>
            <source>Open log folder</source>
            <translation>Protokollordner öffnen</translation>
        </message>
        <message>
            <source>Copy details</source>
            <translation>Details kopieren</translation>
        </message>
        <message numerus="yes">
            <source>This happened %n time(s) since the dialog opened.</source>
            <translation>
                <numerusform>Das ist seit dem Öffnen des Dialogs %n Mal passiert.</numerusform>
                <numerusform>Das ist seit dem Öffnen des Dialogs %n Mal passiert.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>Document</name>
        <message>
            <source>Erase mask</source>
            <translation>Maske radieren</translation>
        </message>
        <message>
            <source>Paint mask</source>
            <translation>Maske malen</translation>
        </message>
        <message>
            <source>Erase rectangle</source>
            <translation>Rechteck radieren</translation>
        </message>
        <message>
            <source>Rectangle</source>
            <translation>Rechteck</translation>
        </message>
        <message>
            <source>Erase lasso</source>
            <translation>Lasso radieren</translation>
        </message>
        <message>
            <source>Lasso</source>
            <translation>Lasso</translation>
        </message>
        <message>
            <source>Clear mask</source>
            <translation>Maske leeren</translation>
        </message>
        <message>
            <source>Grow mask {px} px</source>
            <translation>Maske um {px} px vergrößern</translation>
        </message>
        <message>
            <source>Shrink mask {px} px</source>
            <translation>Maske um {px} px verkleinern</translation>
        </message>
        <message>
            <source>Import mask</source>
            <translation>Maske importieren</translation>
        </message>
        <message>
            <source>Expand canvas</source>
            <translation>Arbeitsfläche erweitern</translation>
        </message>
        <message>
            <source>Invert mask</source>
            <translation>Maske umkehren</translation>
        </message>
    </context>
    <context>
        <name>EditEstimate</name>
        <message>
            <source>Offline engine: free</source>
            <translation>Offline-Engine: kostenlos</translation>
        </message>
        <message>
            <source>No price known for this model</source>
            <translation>Für dieses Modell ist kein Preis bekannt</translation>
        </message>
        <message>
            <source>About {price}</source>
            <translation>Etwa {price}</translation>
        </message>
        <message>
            <source>The offline engine runs on this computer and costs nothing.</source>
            <translation>Die Offline-Engine läuft auf diesem Computer und kostet nichts.</translation>
        </message>
    </context>
    <context>
        <name>EditSession</name>
        <message>
            <source>offline: {queued} queued — it will run when the connection is back</source>
            <translation>offline: {queued} in der Warteschlange – läuft, sobald die Verbindung wieder da ist</translation>
        </message>
        <message>
            <source>paused: not enough credits</source>
            <translation>angehalten: nicht genug Credits</translation>
        </message>
    </context>
    <context>
        <name>EditVariants</name>
        <message>
            <source>Apply variant {number}</source>
            <translation>Variante {number} übernehmen</translation>
        </message>
    </context>
    <context>
        <name>EmptyState</name>
        <message>
            <source>Open a photo to start</source>
            <translation>Öffnen Sie ein Foto, um zu beginnen</translation>
        </message>
        <message>
            <source>Open a photo…</source>
            <translation>Foto öffnen…</translation>
        </message>
        <message>
            <source>Open a photo (Ctrl+O)</source>
            <translation>Foto öffnen (Strg+O)</translation>
        </message>
        <message>
            <source>or drop an image file here</source>
            <translation>oder ziehen Sie eine Bilddatei hierher</translation>
        </message>
        <message>
            <source>Paste an image with Ctrl+Shift+V, or pick one from File › Open Recent.
Then paint the area to change and describe what should be there.</source>
            <translation>Fügen Sie ein Bild mit Strg+Umschalt+V ein oder wählen Sie eines unter Datei › Zuletzt geöffnet.
Malen Sie dann den zu ändernden Bereich aus und beschreiben Sie, was dort erscheinen soll.</translation>
        </message>
    </context>
    <context>
        <name>ErrorBanner</name>
        <message>
            <source>Open settings…</source>
            <translation>Einstellungen öffnen…</translation>
        </message>
        <message>
            <source>Switch model</source>
            <translation>Modell wechseln</translation>
        </message>
        <message>
            <source>Try again</source>
            <translation>Erneut versuchen</translation>
        </message>
        <message>
            <source>Buy tokens…</source>
            <translation>Tokens kaufen…</translation>
        </message>
        <message>
            <source>Message</source>
            <translation>Meldung</translation>
        </message>
        <message>
            <source>Dismiss (Esc)</source>
            <translation>Schließen (Esc)</translation>
        </message>
        <message>
            <source>Dismiss message</source>
            <translation>Meldung schließen</translation>
        </message>
        <message>
            <source>(The service asked to wait {seconds} s.)</source>
            <translation>(Der Dienst bat, {seconds} s zu warten.)</translation>
        </message>
    </context>
    <context>
        <name>ExpandCanvasDialog</name>
        <message>
            <source>Expand canvas</source>
            <translation>Arbeitsfläche erweitern</translation>
        </message>
        <message>
            <source>Add &amp;margins</source>
            <translation>&amp;Ränder hinzufügen</translation>
        </message>
        <message>
            <source>Grow to an &amp;aspect ratio</source>
            <translation>Auf ein &amp;Seitenverhältnis erweitern</translation>
        </message>
        <message>
            <source> px</source>
            <translation> px</translation>
        </message>
        <message>
            <source>Aspect</source>
            <translation>Seitenverhältnis</translation>
        </message>
        <message>
            <source>The new area is masked, so the next edit fills it in.</source>
            <translation>Der neue Bereich ist maskiert, die nächste Bearbeitung füllt ihn also aus.</translation>
        </message>
        <message>
            <source>{width} × {height} becomes {new_width} × {new_height} pixels.</source>
            <translation>Aus {width} × {height} werden {new_width} × {new_height} Pixel.</translation>
        </message>
    </context>
    <context>
        <name>HistoryModel</name>
        <message>
            <source>in progress</source>
            <translation>in Arbeit</translation>
        </message>
        <message>
            <source>failed</source>
            <translation>fehlgeschlagen</translation>
        </message>
        <message>
            <source>cancelled</source>
            <translation>abgebrochen</translation>
        </message>
        <message>
            <source>(opened picture)</source>
            <translation>(geöffnetes Bild)</translation>
        </message>
        <message>
            <source>waiting</source>
            <translation>wartet</translation>
        </message>
        <message>
            <source>waiting ({place} of {count})</source>
            <translation>wartet ({place} von {count})</translation>
        </message>
    </context>
    <context>
        <name>HistoryPanel</name>
        <message>
            <source>All edits</source>
            <translation>Alle Bearbeitungen</translation>
        </message>
        <message>
            <source>Done</source>
            <translation>Fertig</translation>
        </message>
        <message>
            <source>Waiting</source>
            <translation>Wartend</translation>
        </message>
        <message>
            <source>Failed</source>
            <translation>Fehlgeschlagen</translation>
        </message>
        <message>
            <source>Cancelled</source>
            <translation>Abgebrochen</translation>
        </message>
        <message>
            <source>Search prompts</source>
            <translation>Prompts durchsuchen</translation>
        </message>
        <message>
            <source>Starred</source>
            <translation>Markiert</translation>
        </message>
        <message>
            <source>Star</source>
            <translation>Markieren</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>Löschen</translation>
        </message>
        <message>
            <source>Restore</source>
            <translation>Wiederherstellen</translation>
        </message>
        <message>
            <source>Compare</source>
            <translation>Vergleichen</translation>
        </message>
        <message>
            <source>Use prompt</source>
            <translation>Prompt verwenden</translation>
        </message>
        <message>
            <source>Use mask</source>
            <translation>Maske verwenden</translation>
        </message>
        <message>
            <source>Use settings</source>
            <translation>Einstellungen verwenden</translation>
        </message>
        <message>
            <source>Cancel job</source>
            <translation>Auftrag abbrechen</translation>
        </message>
        <message>
            <source>Retry</source>
            <translation>Wiederholen</translation>
        </message>
        <message>
            <source>Send sooner</source>
            <translation>Früher senden</translation>
        </message>
        <message>
            <source>Send later</source>
            <translation>Später senden</translation>
        </message>
        <message>
            <source>Unstar</source>
            <translation>Markierung entfernen</translation>
        </message>
        <message>
            <source>1 edit</source>
            <translation>1 Bearbeitung</translation>
        </message>
        <message>
            <source>{total} edits</source>
            <translation>{total} Bearbeitungen</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>No OpenAI key is set, so edits use the offline engine: it removes what you paint and fills the gap from the surroundings, ignoring the prompt. Add a key in Preferences to edit with prompts.</source>
            <translation>Es ist kein OpenAI-Schlüssel gesetzt, daher verwenden Bearbeitungen die Offline-Engine: Sie entfernt, was Sie ausmalen, und füllt die Lücke aus der Umgebung, ohne den Prompt zu beachten. Fügen Sie in den Einstellungen einen Schlüssel hinzu, um mit Prompts zu bearbeiten.</translation>
        </message>
        <message>
            <source>Edit</source>
            <translation>Bearbeitung</translation>
        </message>
        <message>
            <source>Switched to {label}.</source>
            <translation>Zu {label} gewechselt.</translation>
        </message>
        <message>
            <source>Engine: {value}</source>
            <translation>Engine: {value}</translation>
        </message>
        <message>
            <source>Engine: offline (no OpenAI key)</source>
            <translation>Engine: offline (kein OpenAI-Schlüssel)</translation>
        </message>
        <message>
            <source>Add key…</source>
            <translation>Schlüssel hinzufügen…</translation>
        </message>
        <message>
            <source>About imgdesk</source>
            <translation>Über imgdesk</translation>
        </message>
        <message>
            <source>Prompt-driven masked edits of real photos at full resolution, on the OpenAI Images API or offline.</source>
            <translation>Prompt-gesteuerte, maskierte Bearbeitung echter Fotos in voller Auflösung, über die OpenAI Images API oder offline.</translation>
        </message>
        <message>
            <source>Done: pick a variant below, then Apply or Discard.</source>
            <translation>Fertig: Wählen Sie unten eine Variante und dann Übernehmen oder Verwerfen.</translation>
        </message>
        <message>
            <source>Cancelled; the photo is unchanged.</source>
            <translation>Abgebrochen; das Foto ist unverändert.</translation>
        </message>
        <message>
            <source>The edit failed; the photo is unchanged.</source>
            <translation>Die Bearbeitung ist fehlgeschlagen; das Foto ist unverändert.</translation>
        </message>
        <message>
            <source>Preview {value} of {total}…</source>
            <translation>Vorschau {value} von {total}…</translation>
        </message>
        <message>
            <source>No photo</source>
            <translation>Kein Foto</translation>
        </message>
        <message>
            <source>{shape} × {shape2} px</source>
            <translation>{shape} × {shape2} px</translation>
        </message>
        <message>
            <source>{value:.0f} %</source>
            <translation>{value:.0f} %</translation>
        </message>
        <message>
            <source>Opening…</source>
            <translation>Wird geöffnet…</translation>
        </message>
        <message>
            <source>{name}[*] — imgdesk</source>
            <translation>{name}[*] — imgdesk</translation>
        </message>
    </context>
    <context>
        <name>Options</name>
        <message>
            <source>Auto</source>
            <translation>Automatisch</translation>
        </message>
        <message>
            <source>Low</source>
            <translation>Niedrig</translation>
        </message>
        <message>
            <source>Medium</source>
            <translation>Mittel</translation>
        </message>
        <message>
            <source>High</source>
            <translation>Hoch</translation>
        </message>
        <message>
            <source>Opaque</source>
            <translation>Deckend</translation>
        </message>
        <message>
            <source>Transparent</source>
            <translation>Transparent</translation>
        </message>
        <message>
            <source>Left</source>
            <translation>Links</translation>
        </message>
        <message>
            <source>Top</source>
            <translation>Oben</translation>
        </message>
        <message>
            <source>Right</source>
            <translation>Rechts</translation>
        </message>
        <message>
            <source>Bottom</source>
            <translation>Unten</translation>
        </message>
    </context>
    <context>
        <name>PromptPanel</name>
        <message>
            <source>Prompt</source>
            <translation>Prompt</translation>
        </message>
        <message>
            <source>Describe what should appear in the painted area…</source>
            <translation>Beschreiben Sie, was im ausgemalten Bereich erscheinen soll…</translation>
        </message>
        <message>
            <source>What to put in the masked area (Ctrl+Enter generates)</source>
            <translation>Was in den maskierten Bereich soll (Strg+Eingabe erzeugt)</translation>
        </message>
        <message>
            <source>Recent prompts and presets</source>
            <translation>Letzte Prompts und Vorlagen</translation>
        </message>
        <message>
            <source>Reuse a recent prompt or a saved preset</source>
            <translation>Einen letzten Prompt oder eine gespeicherte Vorlage wiederverwenden</translation>
        </message>
        <message>
            <source>Save preset…</source>
            <translation>Vorlage speichern…</translation>
        </message>
        <message>
            <source>Save the prompt as a named preset</source>
            <translation>Den Prompt als benannte Vorlage speichern</translation>
        </message>
        <message>
            <source>Engine</source>
            <translation>Engine</translation>
        </message>
        <message>
            <source>OpenAI</source>
            <translation>OpenAI</translation>
        </message>
        <message>
            <source>Local (offline)</source>
            <translation>Lokal (offline)</translation>
        </message>
        <message>
            <source>OpenAI follows the prompt; the offline engine removes the masked content for free</source>
            <translation>OpenAI folgt dem Prompt; die Offline-Engine entfernt den maskierten Inhalt kostenlos</translation>
        </message>
        <message>
            <source>Model</source>
            <translation>Modell</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>Größe</translation>
        </message>
        <message>
            <source>Custom size</source>
            <translation>Eigene Größe</translation>
        </message>
        <message>
            <source>WIDTHxHEIGHT, e.g. 1536x1024</source>
            <translation>BREITExHÖHE, z. B. 1536x1024</translation>
        </message>
        <message>
            <source>Quality</source>
            <translation>Qualität</translation>
        </message>
        <message>
            <source>Number of variants</source>
            <translation>Anzahl der Varianten</translation>
        </message>
        <message>
            <source>Output format</source>
            <translation>Ausgabeformat</translation>
        </message>
        <message>
            <source>Background</source>
            <translation>Hintergrund</translation>
        </message>
        <message>
            <source>Input fidelity</source>
            <translation>Treue zur Vorlage</translation>
        </message>
        <message>
            <source>More options</source>
            <translation>Weitere Optionen</translation>
        </message>
        <message>
            <source>Output format, background, input fidelity and references</source>
            <translation>Ausgabeformat, Hintergrund, Treue zur Vorlage und Referenzen</translation>
        </message>
        <message>
            <source>Buy tokens…</source>
            <translation>Tokens kaufen…</translation>
        </message>
        <message>
            <source>Generate</source>
            <translation>Erzeugen</translation>
        </message>
        <message>
            <source>Generate variants (Ctrl+Enter)</source>
            <translation>Varianten erzeugen (Strg+Eingabe)</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Abbrechen</translation>
        </message>
        <message>
            <source>Stop the running edit (Esc)</source>
            <translation>Die laufende Bearbeitung anhalten (Esc)</translation>
        </message>
        <message>
            <source>&amp;Engine</source>
            <translation>&amp;Engine</translation>
        </message>
        <message>
            <source>&amp;Model</source>
            <translation>&amp;Modell</translation>
        </message>
        <message>
            <source>Si&amp;ze</source>
            <translation>&amp;Größe</translation>
        </message>
        <message>
            <source>&amp;Quality</source>
            <translation>&amp;Qualität</translation>
        </message>
        <message>
            <source>&amp;Variants</source>
            <translation>&amp;Varianten</translation>
        </message>
        <message>
            <source>&amp;Format</source>
            <translation>&amp;Format</translation>
        </message>
        <message>
            <source>&amp;Background</source>
            <translation>&amp;Hintergrund</translation>
        </message>
        <message>
            <source>References</source>
            <translation>Referenzen</translation>
        </message>
        <message>
            <source>&amp;Prompt</source>
            <translation>&amp;Prompt</translation>
        </message>
        <message>
            <source>{label} is deprecated and will be shut down.</source>
            <translation>{label} ist veraltet und wird abgeschaltet.</translation>
        </message>
        <message>
            <source>Recent prompts and presets…</source>
            <translation>Letzte Prompts und Vorlagen…</translation>
        </message>
        <message>
            <source>★ {name}</source>
            <translation>★ {name}</translation>
        </message>
        <message>
            <source>Model default</source>
            <translation>Modellstandard</translation>
        </message>
        <message>
            <source>Auto (from the mask)</source>
            <translation>Automatisch (aus der Maske)</translation>
        </message>
        <message>
            <source>Custom…</source>
            <translation>Eigene…</translation>
        </message>
        <message>
            <source>Estimated cost: {text}</source>
            <translation>Geschätzte Kosten: {text}</translation>
        </message>
        <message>
            <source>Generating…</source>
            <translation>Wird erzeugt…</translation>
        </message>
        <message>
            <source>Save preset</source>
            <translation>Vorlage speichern</translation>
        </message>
        <message>
            <source>Name for this prompt:</source>
            <translation>Name für diesen Prompt:</translation>
        </message>
    </context>
    <context>
        <name>PurchaseDialog</name>
        <message>
            <source>Buy tokens</source>
            <translation>Tokens kaufen</translation>
        </message>
        <message>
            <source>Buy</source>
            <translation>Kaufen</translation>
        </message>
        <message>
            <source>Waiting for payment. Finish paying in your browser, then return here.</source>
            <translation>Warten auf die Zahlung. Schließen Sie die Zahlung im Browser ab und kehren Sie dann hierher zurück.</translation>
        </message>
        <message>
            <source>Reopen payment page</source>
            <translation>Zahlungsseite erneut öffnen</translation>
        </message>
        <message>
            <source>Cancel purchase</source>
            <translation>Kauf abbrechen</translation>
        </message>
        <message>
            <source>Token packs are not for sale here: no shop is configured.</source>
            <translation>Token-Pakete sind hier nicht erhältlich: Es ist kein Shop eingerichtet.</translation>
        </message>
        <message>
            <source>{label}: {credits} credits for {price}</source>
            <translation>{label}: {credits} Credits für {price}</translation>
        </message>
        <message>
            <source>Balance: {n} credits</source>
            <translation>Guthaben: {n} Credits</translation>
        </message>
        <message>
            <source>The browser could not be opened. Open this address yourself: {url}</source>
            <translation>Der Browser konnte nicht geöffnet werden. Öffnen Sie diese Adresse selbst: {url}</translation>
        </message>
    </context>
    <context>
        <name>QueueModel</name>
        <message>
            <source>in progress</source>
            <translation>in Arbeit</translation>
        </message>
        <message>
            <source>waiting</source>
            <translation>wartet</translation>
        </message>
    </context>
    <context>
        <name>QueueStatus</name>
        <message>
            <source>Queue stopped</source>
            <translation>Warteschlange angehalten</translation>
        </message>
        <message>
            <source>Queue paused: {reason}</source>
            <translation>Warteschlange pausiert: {reason}</translation>
        </message>
        <message>
            <source>offline: {queued} queued</source>
            <translation>offline: {queued} in der Warteschlange</translation>
        </message>
        <message>
            <source>Rate limited; waiting ({queued} queued)</source>
            <translation>Anfragelimit erreicht; warten ({queued} in der Warteschlange)</translation>
        </message>
        <message>
            <source>{running} running, {queued} queued</source>
            <translation>{running} laufen, {queued} in der Warteschlange</translation>
        </message>
        <message>
            <source>Queue empty</source>
            <translation>Warteschlange leer</translation>
        </message>
    </context>
    <context>
        <name>ReferenceList</name>
        <message>
            <source>Reference images</source>
            <translation>Referenzbilder</translation>
        </message>
        <message>
            <source>Drop PNG, JPEG or WebP files here to add reference images</source>
            <translation>Ziehen Sie PNG-, JPEG- oder WebP-Dateien hierher, um Referenzbilder hinzuzufügen</translation>
        </message>
        <message>
            <source>Add…</source>
            <translation>Hinzufügen…</translation>
        </message>
        <message>
            <source>Add reference images that guide the edit</source>
            <translation>Referenzbilder hinzufügen, die die Bearbeitung leiten</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Entfernen</translation>
        </message>
        <message>
            <source>Remove the selected reference image (Delete)</source>
            <translation>Das ausgewählte Referenzbild entfernen (Entf)</translation>
        </message>
        <message>
            <source>Add reference images</source>
            <translation>Referenzbilder hinzufügen</translation>
        </message>
        <message>
            <source>Images (*.png *.jpg *.jpeg *.webp)</source>
            <translation>Bilder (*.png *.jpg *.jpeg *.webp)</translation>
        </message>
        <message>
            <source>This model takes no reference images.</source>
            <translation>Dieses Modell nimmt keine Referenzbilder an.</translation>
        </message>
        <message>
            <source>{count} of up to {limit} reference images.</source>
            <translation>{count} von höchstens {limit} Referenzbildern.</translation>
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <source>Automatic (OpenAI when a key is set, else offline)</source>
            <translation>Automatisch (OpenAI, wenn ein Schlüssel gesetzt ist, sonst offline)</translation>
        </message>
        <message>
            <source>OpenAI</source>
            <translation>OpenAI</translation>
        </message>
        <message>
            <source>Local (offline)</source>
            <translation>Lokal (offline)</translation>
        </message>
        <message>
            <source>This computer has no system keyring, so imgdesk cannot store the key safely. Tick “Only for this session” to use it until imgdesk closes, or set the OPENAI_API_KEY environment variable before starting imgdesk.</source>
            <translation>Dieser Computer hat keinen System-Schlüsselbund, daher kann imgdesk den Schlüssel nicht sicher speichern. Aktivieren Sie „Nur für diese Sitzung“, um ihn bis zum Schließen von imgdesk zu verwenden, oder setzen Sie vor dem Start von imgdesk die Umgebungsvariable OPENAI_API_KEY.</translation>
        </message>
        <message>
            <source>System language</source>
            <translation>Systemsprache</translation>
        </message>
        <message>
            <source>Preferences</source>
            <translation>Einstellungen</translation>
        </message>
        <message>
            <source>OpenAI API key</source>
            <translation>OpenAI-API-Schlüssel</translation>
        </message>
        <message>
            <source>Paste a new key (sk-…)</source>
            <translation>Neuen Schlüssel einfügen (sk-…)</translation>
        </message>
        <message>
            <source>Only for this session</source>
            <translation>Nur für diese Sitzung</translation>
        </message>
        <message>
            <source>Use the key until imgdesk closes without storing it</source>
            <translation>Den Schlüssel bis zum Schließen von imgdesk verwenden, ohne ihn zu speichern</translation>
        </message>
        <message>
            <source>Save key</source>
            <translation>Schlüssel speichern</translation>
        </message>
        <message>
            <source>Remove key</source>
            <translation>Schlüssel entfernen</translation>
        </message>
        <message>
            <source>https://api.openai.com/v1 (default)</source>
            <translation>https://api.openai.com/v1 (Standard)</translation>
        </message>
        <message>
            <source>Any OpenAI-compatible endpoint that serves /v1/images/edits</source>
            <translation>Jeder OpenAI-kompatible Endpunkt, der /v1/images/edits bereitstellt</translation>
        </message>
        <message>
            <source>OPENAI_BASE_URL is set ({env_url}) and takes precedence.</source>
            <translation>OPENAI_BASE_URL ist gesetzt ({env_url}) und hat Vorrang.</translation>
        </message>
        <message>
            <source>Change it with --data-dir or the IMGDESK_DATA_DIR environment variable</source>
            <translation>Ändern Sie ihn mit --data-dir oder der Umgebungsvariablen IMGDESK_DATA_DIR</translation>
        </message>
        <message>
            <source>The new language is used the next time imgdesk starts.</source>
            <translation>Die neue Sprache gilt ab dem nächsten Start von imgdesk.</translation>
        </message>
        <message>
            <source>Applies the next time imgdesk starts.</source>
            <translation>Gilt ab dem nächsten Start von imgdesk.</translation>
        </message>
        <message>
            <source>&amp;Engine</source>
            <translation>&amp;Engine</translation>
        </message>
        <message>
            <source>&amp;Endpoint</source>
            <translation>End&amp;punkt</translation>
        </message>
        <message>
            <source>Default &amp;model</source>
            <translation>Standard&amp;modell</translation>
        </message>
        <message>
            <source>Default &amp;quality</source>
            <translation>Standard&amp;qualität</translation>
        </message>
        <message>
            <source>Default &amp;variants</source>
            <translation>Standardanzahl &amp;Varianten</translation>
        </message>
        <message>
            <source>&amp;Language</source>
            <translation>&amp;Sprache</translation>
        </message>
        <message>
            <source>Data folder</source>
            <translation>Datenordner</translation>
        </message>
        <message>
            <source>Paste a key first.</source>
            <translation>Fügen Sie zuerst einen Schlüssel ein.</translation>
        </message>
        <message>
            <source>The key is in use until imgdesk closes.</source>
            <translation>Der Schlüssel wird verwendet, bis imgdesk geschlossen wird.</translation>
        </message>
        <message>
            <source>The key is stored in the system keyring.</source>
            <translation>Der Schlüssel ist im System-Schlüsselbund gespeichert.</translation>
        </message>
        <message>
            <source>The key was removed.</source>
            <translation>Der Schlüssel wurde entfernt.</translation>
        </message>
    </context>
    <context>
        <name>SettingsModel</name>
        <message>
            <source>No OpenAI key is set; edits run on the offline engine.</source>
            <translation>Es ist kein OpenAI-Schlüssel gesetzt; Bearbeitungen laufen mit der Offline-Engine.</translation>
        </message>
        <message>
            <source>A key is set from the OPENAI_API_KEY environment variable: {hint}</source>
            <translation>Ein Schlüssel ist über die Umgebungsvariable OPENAI_API_KEY gesetzt: {hint}</translation>
        </message>
        <message>
            <source>A key is set for this session only (it is forgotten when imgdesk closes): {hint}</source>
            <translation>Ein Schlüssel ist nur für diese Sitzung gesetzt (er wird beim Schließen von imgdesk vergessen): {hint}</translation>
        </message>
        <message>
            <source>A key is set in the system keyring: {hint}</source>
            <translation>Ein Schlüssel ist im System-Schlüsselbund gespeichert: {hint}</translation>
        </message>
        <message>
            <source>A key is set: {hint}</source>
            <translation>Ein Schlüssel ist gesetzt: {hint}</translation>
        </message>
    </context>
    <context>
        <name>ShortcutsDialog</name>
        <message>
            <source>Prompt</source>
            <translation>Prompt</translation>
        </message>
        <message>
            <source>Generate</source>
            <translation>Erzeugen</translation>
        </message>
        <message>
            <source>Canvas</source>
            <translation>Arbeitsfläche</translation>
        </message>
        <message>
            <source>Brush size smaller / larger</source>
            <translation>Pinsel kleiner / größer</translation>
        </message>
        <message>
            <source>Pan</source>
            <translation>Verschieben</translation>
        </message>
        <message>
            <source>Space + drag, or middle button</source>
            <translation>Leertaste + Ziehen oder mittlere Maustaste</translation>
        </message>
        <message>
            <source>Zoom around the cursor</source>
            <translation>Um den Mauszeiger zoomen</translation>
        </message>
        <message>
            <source>Mouse wheel</source>
            <translation>Mausrad</translation>
        </message>
        <message>
            <source>Show the original while held</source>
            <translation>Original zeigen, solange gedrückt</translation>
        </message>
        <message>
            <source>Finish / abandon a lasso</source>
            <translation>Lasso abschließen / verwerfen</translation>
        </message>
        <message>
            <source>Edit</source>
            <translation>Bearbeitung</translation>
        </message>
        <message>
            <source>Cancel the running edit / dismiss the message</source>
            <translation>Laufende Bearbeitung abbrechen / Meldung schließen</translation>
        </message>
        <message>
            <source>Keyboard shortcuts</source>
            <translation>Tastenkürzel</translation>
        </message>
        <message>
            <source>Action</source>
            <translation>Aktion</translation>
        </message>
        <message>
            <source>Keys</source>
            <translation>Tasten</translation>
        </message>
    </context>
    <context>
        <name>ToolOptions</name>
        <message>
            <source>Tool options</source>
            <translation>Werkzeugoptionen</translation>
        </message>
        <message>
            <source>Brush size in photo pixels ([ smaller, ] larger)</source>
            <translation>Pinselgröße in Fotopixeln ([ kleiner, ] größer)</translation>
        </message>
        <message>
            <source>Brush size</source>
            <translation>Pinselgröße</translation>
        </message>
        <message>
            <source>Brush size in pixels</source>
            <translation>Pinselgröße in Pixeln</translation>
        </message>
        <message>
            <source>Brush softness: 0 % paints a hard edge, 100 % fades from the centre</source>
            <translation>Pinselweichheit: 0 % malt eine harte Kante, 100 % blendet von der Mitte aus</translation>
        </message>
        <message>
            <source>Brush softness</source>
            <translation>Pinselweichheit</translation>
        </message>
        <message>
            <source>Brush softness in percent</source>
            <translation>Pinselweichheit in Prozent</translation>
        </message>
        <message>
            <source>Mask overlay colour</source>
            <translation>Farbe der Maskenüberlagerung</translation>
        </message>
        <message>
            <source>Mask overlay opacity (hold \ on the canvas to hide the overlay)</source>
            <translation>Deckkraft der Maskenüberlagerung (\ auf der Arbeitsfläche gedrückt halten, um sie auszublenden)</translation>
        </message>
        <message>
            <source>Mask overlay opacity</source>
            <translation>Deckkraft der Maskenüberlagerung</translation>
        </message>
        <message>
            <source>Mask overlay opacity in percent</source>
            <translation>Deckkraft der Maskenüberlagerung in Prozent</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>Größe</translation>
        </message>
        <message>
            <source>Softness</source>
            <translation>Weichheit</translation>
        </message>
        <message>
            <source>Overlay</source>
            <translation>Überlagerung</translation>
        </message>
        <message>
            <source>Mask overlay colour: {value} (click to change)</source>
            <translation>Farbe der Maskenüberlagerung: {value} (zum Ändern klicken)</translation>
        </message>
    </context>
    <context>
        <name>VariantsStrip</name>
        <message>
            <source>Variants</source>
            <translation>Varianten</translation>
        </message>
        <message>
            <source>Click a variant to see it on the canvas at full size (Alt+1…Alt+9)</source>
            <translation>Klicken Sie auf eine Variante, um sie in voller Größe auf der Arbeitsfläche zu sehen (Alt+1…Alt+9)</translation>
        </message>
        <message>
            <source>&amp;Compare</source>
            <translation>&amp;Vergleichen</translation>
        </message>
        <message>
            <source>Show the original instead of the variant (Alt+C)</source>
            <translation>Das Original statt der Variante zeigen (Alt+V)</translation>
        </message>
        <message>
            <source>&amp;Apply</source>
            <translation>Ü&amp;bernehmen</translation>
        </message>
        <message>
            <source>Make this variant the photo (Alt+A; undo with Ctrl+Z)</source>
            <translation>Diese Variante zum Foto machen (Alt+B; rückgängig mit Strg+Z)</translation>
        </message>
        <message>
            <source>&amp;Discard</source>
            <translation>Ver&amp;werfen</translation>
        </message>
        <message>
            <source>Drop all variants and keep the photo as it is (Alt+D)</source>
            <translation>Alle Varianten verwerfen und das Foto unverändert lassen (Alt+W)</translation>
        </message>
        <message>
            <source>S&amp;plit</source>
            <translation>&amp;Geteilt</translation>
        </message>
        <message>
            <source>Original left of a divider you drag, variant right of it (Ctrl+Alt+\)</source>
            <translation>Original links eines verschiebbaren Trenners, Variante rechts davon (Strg+Alt+\)</translation>
        </message>
        <message>
            <source>Variant {number}</source>
            <translation>Variante {number}</translation>
        </message>
    </context>
    <context>
        <name>WelcomeDialog</name>
        <message>
            <source>&lt;b&gt;Offline, free.&lt;/b&gt; Without an OpenAI key imgdesk edits on this computer: paint over something and it is removed and filled in from its surroundings. Nothing leaves your computer, it costs nothing, and the prompt is ignored.</source>
            <translation>&lt;b&gt;Offline, kostenlos.&lt;/b&gt; Ohne OpenAI-Schlüssel bearbeitet imgdesk auf diesem Computer: Malen Sie etwas aus, und es wird entfernt und aus seiner Umgebung aufgefüllt. Nichts verlässt Ihren Computer, es kostet nichts, und der Prompt wird ignoriert.</translation>
        </message>
        <message>
            <source>&lt;b&gt;OpenAI, paid.&lt;/b&gt; With an OpenAI API key you describe what should appear in the painted area and pick from several variants, at the photo's full resolution. OpenAI charges your account for each image; imgdesk shows an estimate before you generate.</source>
            <translation>&lt;b&gt;OpenAI, kostenpflichtig.&lt;/b&gt; Mit einem OpenAI-API-Schlüssel beschreiben Sie, was im ausgemalten Bereich erscheinen soll, und wählen aus mehreren Varianten, in der vollen Auflösung des Fotos. OpenAI berechnet Ihrem Konto jedes Bild; imgdesk zeigt vor dem Erzeugen eine Schätzung.</translation>
        </message>
        <message>
            <source>To try it, open a sample, paint over something to remove and press Generate.</source>
            <translation>Zum Ausprobieren öffnen Sie ein Beispiel, malen etwas aus, das entfernt werden soll, und klicken auf Erzeugen.</translation>
        </message>
        <message>
            <source>Welcome to imgdesk</source>
            <translation>Willkommen bei imgdesk</translation>
        </message>
        <message>
            <source>&lt;h2&gt;Welcome to imgdesk&lt;/h2&gt;</source>
            <translation>&lt;h2&gt;Willkommen bei imgdesk&lt;/h2&gt;</translation>
        </message>
        <message>
            <source>Add OpenAI key…</source>
            <translation>OpenAI-Schlüssel hinzufügen…</translation>
        </message>
        <message>
            <source>Open a sample</source>
            <translation>Ein Beispiel öffnen</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Schließen</translation>
        </message>
        <message>
            <source>Open {name}, a photo bundled with imgdesk</source>
            <translation>{name} öffnen, ein mit imgdesk geliefertes Foto</translation>
        </message>
        <message>
            <source>Change OpenAI key…</source>
            <translation>OpenAI-Schlüssel ändern…</translation>
        </message>
    </context>
    <context>
        <name>WindowAccount</name>
        <message>
            <source>Credits left for edits on the OpenAI engine</source>
            <translation>Verbleibende Credits für Bearbeitungen mit der OpenAI-Engine</translation>
        </message>
        <message>
            <source>Buy a token pack; payment happens in your browser</source>
            <translation>Ein Token-Paket kaufen; die Zahlung erfolgt im Browser</translation>
        </message>
    </context>
    <context>
        <name>WindowActions</name>
        <message>
            <source>&amp;File</source>
            <translation>&amp;Datei</translation>
        </message>
        <message>
            <source>&amp;Open…</source>
            <translation>Ö&amp;ffnen…</translation>
        </message>
        <message>
            <source>Open &amp;Recent</source>
            <translation>&amp;Zuletzt geöffnet</translation>
        </message>
        <message>
            <source>&amp;Paste Image as New</source>
            <translation>Bild als neues &amp;einfügen</translation>
        </message>
        <message>
            <source>&amp;Save</source>
            <translation>&amp;Speichern</translation>
        </message>
        <message>
            <source>&amp;Export As…</source>
            <translation>Exportieren &amp;als…</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>&amp;Beenden</translation>
        </message>
        <message>
            <source>&amp;Edit</source>
            <translation>&amp;Bearbeiten</translation>
        </message>
        <message>
            <source>&amp;Undo</source>
            <translation>&amp;Rückgängig</translation>
        </message>
        <message>
            <source>&amp;Redo</source>
            <translation>&amp;Wiederholen</translation>
        </message>
        <message>
            <source>&amp;Generate</source>
            <translation>&amp;Erzeugen</translation>
        </message>
        <message>
            <source>&amp;Cancel Edit</source>
            <translation>Bearbeitung &amp;abbrechen</translation>
        </message>
        <message>
            <source>Cancel the running edit (Esc)</source>
            <translation>Die laufende Bearbeitung abbrechen (Esc)</translation>
        </message>
        <message>
            <source>&amp;Preferences…</source>
            <translation>Ein&amp;stellungen…</translation>
        </message>
        <message>
            <source>&amp;Mask</source>
            <translation>&amp;Maske</translation>
        </message>
        <message>
            <source>&amp;Brush</source>
            <translation>&amp;Pinsel</translation>
        </message>
        <message>
            <source>&amp;Eraser</source>
            <translation>&amp;Radierer</translation>
        </message>
        <message>
            <source>&amp;Rectangle</source>
            <translation>Rech&amp;teck</translation>
        </message>
        <message>
            <source>&amp;Lasso</source>
            <translation>&amp;Lasso</translation>
        </message>
        <message>
            <source>&amp;Invert Mask</source>
            <translation>Maske &amp;umkehren</translation>
        </message>
        <message>
            <source>&amp;Clear Mask</source>
            <translation>Maske l&amp;eeren</translation>
        </message>
        <message>
            <source>&amp;Grow Mask by 8 px</source>
            <translation>Maske um 8 px &amp;vergrößern</translation>
        </message>
        <message>
            <source>&amp;Shrink Mask by 8 px</source>
            <translation>Maske um 8 px verklei&amp;nern</translation>
        </message>
        <message>
            <source>Grow Mask B&amp;y…</source>
            <translation>Maske vergrößern u&amp;m…</translation>
        </message>
        <message>
            <source>Shrin&amp;k Mask By…</source>
            <translation>Maske ver&amp;kleinern um…</translation>
        </message>
        <message>
            <source>&amp;Feather Preview</source>
            <translation>&amp;Weiche Kante zeigen</translation>
        </message>
        <message>
            <source>Show the soft band where the edit fades into the photo (Ctrl+Alt+F)</source>
            <translation>Den weichen Übergang zeigen, in dem die Bearbeitung ins Foto übergeht (Strg+Alt+F)</translation>
        </message>
        <message>
            <source>I&amp;mport Mask…</source>
            <translation>Maske &amp;importieren…</translation>
        </message>
        <message>
            <source>E&amp;xport Mask…</source>
            <translation>Maske e&amp;xportieren…</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>&amp;Ansicht</translation>
        </message>
        <message>
            <source>&amp;Fit to Window</source>
            <translation>An &amp;Fenster anpassen</translation>
        </message>
        <message>
            <source>&amp;Actual Size (100 %)</source>
            <translation>&amp;Originalgröße (100 %)</translation>
        </message>
        <message>
            <source>Zoom &amp;In</source>
            <translation>Ver&amp;größern</translation>
        </message>
        <message>
            <source>Zoom &amp;Out</source>
            <translation>Ver&amp;kleinern</translation>
        </message>
        <message>
            <source>Show &amp;Original</source>
            <translation>Original &amp;zeigen</translation>
        </message>
        <message>
            <source>&amp;Split Compare</source>
            <translation>Ge&amp;teilter Vergleich</translation>
        </message>
        <message>
            <source>Original left of a divider you drag, result right of it (Ctrl+Alt+\)</source>
            <translation>Original links eines verschiebbaren Trenners, Ergebnis rechts davon (Strg+Alt+\)</translation>
        </message>
        <message>
            <source>Preview Variant {number}</source>
            <translation>Vorschau Variante {number}</translation>
        </message>
        <message>
            <source>&amp;Image</source>
            <translation>B&amp;ild</translation>
        </message>
        <message>
            <source>E&amp;xpand Canvas…</source>
            <translation>Arbeitsfläche &amp;erweitern…</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>&amp;Hilfe</translation>
        </message>
        <message>
            <source>&amp;Keyboard Shortcuts</source>
            <translation>&amp;Tastenkürzel</translation>
        </message>
        <message>
            <source>&amp;Welcome</source>
            <translation>&amp;Willkommen</translation>
        </message>
        <message>
            <source>&amp;About imgdesk</source>
            <translation>Ü&amp;ber imgdesk</translation>
        </message>
        <message>
            <source>Tools</source>
            <translation>Werkzeuge</translation>
        </message>
        <message>
            <source>&amp;Panels</source>
            <translation>&amp;Bereiche</translation>
        </message>
        <message>
            <source>&amp;{number} {value}</source>
            <translation>&amp;{number} {value}</translation>
        </message>
    </context>
    <context>
        <name>WindowFiles</name>
        <message>
            <source>Images (*.png *.jpg *.jpeg *.webp *.tif *.tiff *.bmp *.gif *.heic);;All files (*)</source>
            <translation>Bilder (*.png *.jpg *.jpeg *.webp *.tif *.tiff *.bmp *.gif *.heic);;Alle Dateien (*)</translation>
        </message>
        <message>
            <source>The photo has changes that are not saved. Discard them before closing?</source>
            <translation>Das Foto hat ungespeicherte Änderungen. Verwerfen und schließen?</translation>
        </message>
        <message>
            <source>The photo has changes that are not saved. Discard them before opening another photo?</source>
            <translation>Das Foto hat ungespeicherte Änderungen. Verwerfen und ein anderes Foto öffnen?</translation>
        </message>
        <message>
            <source>The photo has changes that are not saved. Discard them before pasting a new photo?</source>
            <translation>Das Foto hat ungespeicherte Änderungen. Verwerfen und ein neues Foto einfügen?</translation>
        </message>
        <message>
            <source>Open photo</source>
            <translation>Foto öffnen</translation>
        </message>
        <message>
            <source>Export as</source>
            <translation>Exportieren als</translation>
        </message>
        <message>
            <source>Clear list</source>
            <translation>Liste leeren</translation>
        </message>
        <message>
            <source>Unsaved changes</source>
            <translation>Ungespeicherte Änderungen</translation>
        </message>
        <message>
            <source>The photo has changes that are not saved. Discard them before {doing}?</source>
            <translation>Das Foto hat ungespeicherte Änderungen. Vor dem Vorgang „{doing}“ verwerfen?</translation>
        </message>
    </context>
    <context>
        <name>WindowHistory</name>
        <message>
            <source>paused: {reason}</source>
            <translation>angehalten: {reason}</translation>
        </message>
        <message>
            <source>{running} running</source>
            <translation>{running} laufen</translation>
        </message>
        <message>
            <source>History</source>
            <translation>Verlauf</translation>
        </message>
        <message>
            <source>&amp;{value} History</source>
            <translation>&amp;{value} Verlauf</translation>
        </message>
        <message>
            <source>Retry now</source>
            <translation>Jetzt erneut versuchen</translation>
        </message>
        <message>
            <source>Try sending the waiting edits now</source>
            <translation>Die wartenden Bearbeitungen jetzt senden</translation>
        </message>
        <message>
            <source>Restore from history</source>
            <translation>Aus dem Verlauf wiederherstellen</translation>
        </message>
        <message>
            <source>That picture has a different size, so it cannot be compared side by side.</source>
            <translation>Dieses Bild hat eine andere Größe und kann daher nicht nebeneinander verglichen werden.</translation>
        </message>
        <message>
            <source>Use mask from history</source>
            <translation>Maske aus dem Verlauf verwenden</translation>
        </message>
    </context>
    <context>
        <name>WindowMask</name>
        <message>
            <source>Grow mask</source>
            <translation>Maske vergrößern</translation>
        </message>
        <message>
            <source>Grow the mask outward by</source>
            <translation>Maske nach außen vergrößern um</translation>
        </message>
        <message>
            <source>Shrink mask</source>
            <translation>Maske verkleinern</translation>
        </message>
        <message>
            <source>Shrink the mask inward by</source>
            <translation>Maske nach innen verkleinern um</translation>
        </message>
        <message>
            <source>Import mask</source>
            <translation>Maske importieren</translation>
        </message>
        <message>
            <source>PNG (*.png)</source>
            <translation>PNG (*.png)</translation>
        </message>
        <message>
            <source>Export mask</source>
            <translation>Maske exportieren</translation>
        </message>
    </context>
    <context>
        <name>WindowQueue</name>
        <message>
            <source>History is off for this session; edits still work.</source>
            <translation>Der Verlauf ist für diese Sitzung ausgeschaltet; Bearbeitungen funktionieren trotzdem.</translation>
        </message>
    </context>
    <context>
        <name>callback</name>
        <message>
            <source>Wrong address</source>
            <translation>Falsche Adresse</translation>
        </message>
        <message>
            <source>This page only answers on the loopback address.</source>
            <translation>Diese Seite antwortet nur auf der Loopback-Adresse.</translation>
        </message>
        <message>
            <source>Not allowed</source>
            <translation>Nicht erlaubt</translation>
        </message>
        <message>
            <source>This page only answers to a browser opening it.</source>
            <translation>Diese Seite antwortet nur einem Browser, der sie öffnet.</translation>
        </message>
        <message>
            <source>Not found</source>
            <translation>Nicht gefunden</translation>
        </message>
        <message>
            <source>This address does not belong to a purchase in progress.</source>
            <translation>Diese Adresse gehört zu keinem laufenden Kauf.</translation>
        </message>
        <message>
            <source>Could not check the payment</source>
            <translation>Die Zahlung konnte nicht geprüft werden</translation>
        </message>
        <message>
            <source>Payment received</source>
            <translation>Zahlung erhalten</translation>
        </message>
        <message>
            <source>Already added</source>
            <translation>Bereits gutgeschrieben</translation>
        </message>
        <message>
            <source>Purchase cancelled</source>
            <translation>Kauf abgebrochen</translation>
        </message>
        <message>
            <source>Payment page expired</source>
            <translation>Zahlungsseite abgelaufen</translation>
        </message>
        <message>
            <source>Payment not completed</source>
            <translation>Zahlung nicht abgeschlossen</translation>
        </message>
        <message>
            <source>Payment being processed</source>
            <translation>Zahlung wird bearbeitet</translation>
        </message>
        <message>
            <source>No credits added</source>
            <translation>Keine Credits gutgeschrieben</translation>
        </message>
        <message>
            <source>en</source>
            <translation>de</translation>
        </message>
        <message>
            <source>You can close this tab and return to imgdesk.</source>
            <translation>Sie können diesen Tab schließen und zu imgdesk zurückkehren.</translation>
        </message>
        <message>
            <source>This link does not belong to the purchase in progress.</source>
            <translation>Dieser Link gehört nicht zum laufenden Kauf.</translation>
        </message>
        <message>
            <source>The payment is still being processed; credits arrive when it clears.</source>
            <translation>Die Zahlung wird noch bearbeitet; die Credits kommen, sobald sie abgeschlossen ist.</translation>
        </message>
        <message>
            <source>This link does not belong to a purchase made in imgdesk.</source>
            <translation>Dieser Link gehört zu keinem Kauf, der in imgdesk getätigt wurde.</translation>
        </message>
        <message>
            <source>This payment page was not the one opened for this purchase, so no credits were added.</source>
            <translation>Diese Zahlungsseite wurde nicht für diesen Kauf geöffnet, daher wurden keine Credits gutgeschrieben.</translation>
        </message>
        <message>
            <source>imgdesk knows no such purchase.</source>
            <translation>imgdesk kennt keinen solchen Kauf.</translation>
        </message>
        <message>
            <source>imgdesk could not confirm with Stripe that the payment page is closed: {reason} It checks again later and adds the credits if it was paid.</source>
            <translation>imgdesk konnte bei Stripe nicht bestätigen, dass die Zahlungsseite geschlossen ist: {reason} Es prüft später erneut und schreibt die Credits gut, falls bezahlt wurde.</translation>
        </message>
        <message>
            <source>Payment received: {credits:,} credits were added.</source>
            <translation>Zahlung erhalten: {credits:,} Credits wurden gutgeschrieben.</translation>
        </message>
        <message>
            <source>The payment page was never created. No money was taken.</source>
            <translation>Die Zahlungsseite wurde nie erstellt. Es wurde kein Geld abgebucht.</translation>
        </message>
        <message>
            <source>The payment page is still being created.</source>
            <translation>Die Zahlungsseite wird noch erstellt.</translation>
        </message>
        <message>
            <source>These {credits:,} credits were added before; nothing more was added.</source>
            <translation>Diese {credits:,} Credits wurden bereits gutgeschrieben; es wurde nichts weiter hinzugefügt.</translation>
        </message>
        <message>
            <source>The purchase was cancelled. No money was taken.</source>
            <translation>Der Kauf wurde abgebrochen. Es wurde kein Geld abgebucht.</translation>
        </message>
        <message>
            <source>{reason} imgdesk will check the payment again later.</source>
            <translation>{reason} imgdesk prüft die Zahlung später erneut.</translation>
        </message>
        <message>
            <source>This payment belongs to a different purchase, so no credits were added.</source>
            <translation>Diese Zahlung gehört zu einem anderen Kauf, daher wurden keine Credits gutgeschrieben.</translation>
        </message>
        <message>
            <source>This payment page was not the one opened for this purchase.</source>
            <translation>Diese Zahlungsseite wurde nicht für diesen Kauf geöffnet.</translation>
        </message>
        <message>
            <source>The payment was for a different pack, so no credits were added.</source>
            <translation>Die Zahlung galt einem anderen Paket, daher wurden keine Credits gutgeschrieben.</translation>
        </message>
        <message>
            <source>The payment page expired before it was paid. No money was taken.</source>
            <translation>Die Zahlungsseite ist abgelaufen, bevor bezahlt wurde. Es wurde kein Geld abgebucht.</translation>
        </message>
        <message>
            <source>The payment has not been completed yet, so no credits were added.</source>
            <translation>Die Zahlung ist noch nicht abgeschlossen, daher wurden keine Credits gutgeschrieben.</translation>
        </message>
        <message>
            <source>The amount paid ({paid}) is not the pack's price ({expected}), so no credits were added. Contact support to sort it out.</source>
            <translation>Der gezahlte Betrag ({paid}) entspricht nicht dem Preis des Pakets ({expected}), daher wurden keine Credits gutgeschrieben. Wenden Sie sich an den Support, um das zu klären.</translation>
        </message>
    </context>
    <context>
        <name>cli</name>
        <message>
            <source>Edit a photo inside a mask and write the variants to a folder.</source>
            <translation>Ein Foto innerhalb einer Maske bearbeiten und die Varianten in einen Ordner schreiben.</translation>
        </message>
        <message>
            <source>List the image models imgdesk knows, with state, sizes and price.</source>
            <translation>Die Bildmodelle auflisten, die imgdesk kennt, mit Status, Größen und Preis.</translation>
        </message>
        <message>
            <source>Credits: balance, packs on sale, buy a pack, history.</source>
            <translation>Credits: Guthaben, erhältliche Pakete, ein Paket kaufen, Verlauf.</translation>
        </message>
        <message>
            <source>Queue prompts × variants of one photo and mask, then export results + manifest.</source>
            <translation>Prompts × Varianten eines Fotos mit Maske in die Warteschlange stellen, dann Ergebnisse + Manifest exportieren.</translation>
        </message>
        <message>
            <source>keep all state (history, settings, logs) in DIR; also ${env}</source>
            <translation>alle Daten (Verlauf, Einstellungen, Protokolle) in DIR ablegen; auch ${env}</translation>
        </message>
        <message>
            <source>Subcommands (imgdesk SUBCOMMAND --help for details):</source>
            <translation>Unterbefehle (Einzelheiten mit imgdesk UNTERBEFEHL --help):</translation>
        </message>
        <message>
            <source>Prompt-driven masked photo edits at full resolution. Without a subcommand the editor window opens.</source>
            <translation>Fotobearbeitung mit Prompt und Maske in voller Auflösung. Ohne Unterbefehl öffnet sich das Editorfenster.</translation>
        </message>
        <message>
            <source>check this installation: open the editor window, edit a bundled sample with the offline engine, exit 0 on success (state goes to a temporary folder unless --data-dir)</source>
            <translation>diese Installation prüfen: das Editorfenster öffnen, ein mitgeliefertes Beispiel mit der Offline-Engine bearbeiten, bei Erfolg mit 0 beenden (Daten landen in einem temporären Ordner, außer mit --data-dir)</translation>
        </message>
        <message>
            <source>photo to open in the editor</source>
            <translation>Foto, das im Editor geöffnet wird</translation>
        </message>
        <message>
            <source>logging is off: {reason}</source>
            <translation>Protokollierung ist aus: {reason}</translation>
        </message>
        <message>
            <source>the photo to edit</source>
            <translation>das zu bearbeitende Foto</translation>
        </message>
        <message>
            <source>mask image: transparent = change; without alpha, white</source>
            <translation>Maskenbild: transparent = ändern; ohne Alpha: weiß</translation>
        </message>
        <message>
            <source>rectangle to change; repeatable</source>
            <translation>zu änderndes Rechteck; wiederholbar</translation>
        </message>
        <message>
            <source>a .txt file (one prompt per line) or .csv file (a 'prompt' column, else the first)</source>
            <translation>eine .txt-Datei (ein Prompt pro Zeile) oder .csv-Datei (eine Spalte 'prompt', sonst die erste)</translation>
        </message>
        <message>
            <source>variants per prompt (default 1)</source>
            <translation>Varianten pro Prompt (Standard 1)</translation>
        </message>
        <message>
            <source>folder for results + manifest</source>
            <translation>Ordner für Ergebnisse + Manifest</translation>
        </message>
        <message>
            <source>{count} failed (see above; run again to retry them)</source>
            <translation>{count} fehlgeschlagen (siehe oben; erneut ausführen, um sie zu wiederholen)</translation>
        </message>
        <message>
            <source>{count} were cancelled (run again to queue them again)</source>
            <translation>{count} wurden abgebrochen (erneut ausführen, um sie wieder einzureihen)</translation>
        </message>
        <message>
            <source>{count} are being sent by another imgdesk window or process (run again when it has finished, or after a minute if it was closed)</source>
            <translation>{count} werden gerade von einem anderen imgdesk-Fenster oder -Prozess gesendet (erneut ausführen, wenn er fertig ist, oder nach einer Minute, falls er geschlossen wurde)</translation>
        </message>
        <message>
            <source>{count} are still queued (run again to send them)</source>
            <translation>{count} warten noch in der Warteschlange (erneut ausführen, um sie zu senden)</translation>
        </message>
        <message>
            <source>Not every edit finished: {reasons}.</source>
            <translation>Nicht alle Bearbeitungen wurden fertig: {reasons}.</translation>
        </message>
        <message>
            <source>{total} edits ({prompts} prompts × {n}): {created} new, {reused} from an earlier run</source>
            <translation>{total} Bearbeitungen ({prompts} Prompts × {n}): {created} neu, {reused} aus einem früheren Lauf</translation>
        </message>
        <message>
            <source>{done}/{total} done · {status}</source>
            <translation>{done}/{total} fertig · {status}</translation>
        </message>
        <message>
            <source>{wanted} already holds another picture; wrote {actual}</source>
            <translation>{wanted} enthält bereits ein anderes Bild; {actual} geschrieben</translation>
        </message>
        <message>
            <source>Failed: “{prompt}”: {reason}</source>
            <translation>Fehlgeschlagen: „{prompt}“: {reason}</translation>
        </message>
        <message>
            <source>{done}/{total} done; {written} files written, {unchanged} already up to date in {folder}</source>
            <translation>{done}/{total} fertig; {written} Dateien geschrieben, {unchanged} bereits aktuell in {folder}</translation>
        </message>
        <message>
            <source>Only {done} of {total} edits finished.</source>
            <translation>Nur {done} von {total} Bearbeitungen wurden fertig.</translation>
        </message>
        <message>
            <source>Interrupted. Run the same command again to finish what is missing.</source>
            <translation>Unterbrochen. Führen Sie denselben Befehl erneut aus, um das Fehlende fertigzustellen.</translation>
        </message>
        <message>
            <source>Writing the results…</source>
            <translation>Die Ergebnisse werden geschrieben…</translation>
        </message>
        <message>
            <source>what should appear in the masked area</source>
            <translation>was im maskierten Bereich erscheinen soll</translation>
        </message>
        <message>
            <source>mask image: transparent = change (the API convention); no alpha: white = change</source>
            <translation>Maskenbild: transparent = ändern (die Konvention der API); ohne Alpha: weiß = ändern</translation>
        </message>
        <message>
            <source>rectangle to change, in photo pixels; repeat for several (no mask: whole photo)</source>
            <translation>zu änderndes Rechteck in Fotopixeln; für mehrere wiederholen (ohne Maske: ganzes Foto)</translation>
        </message>
        <message>
            <source>number of variants, 1 to 10</source>
            <translation>Anzahl der Varianten, 1 bis 10</translation>
        </message>
        <message>
            <source>streamed previews, 0-3 (shown as progress)</source>
            <translation>gestreamte Vorschauen, 0-3 (als Fortschritt angezeigt)</translation>
        </message>
        <message>
            <source>folder for the results (made if missing; existing files are kept)</source>
            <translation>Ordner für die Ergebnisse (wird angelegt, falls er fehlt; vorhandene Dateien bleiben erhalten)</translation>
        </message>
        <message>
            <source>image model (see `imgdesk models`); default from settings</source>
            <translation>Bildmodell (siehe `imgdesk models`); Standard aus den Einstellungen</translation>
        </message>
        <message>
            <source>low, medium, high or auto</source>
            <translation>low, medium, high oder auto</translation>
        </message>
        <message>
            <source>request size WxH, or auto (from the mask)</source>
            <translation>Anfragegröße BxH oder auto (aus der Maske)</translation>
        </message>
        <message>
            <source>default: openai with a key</source>
            <translation>Standard: openai, wenn ein Schlüssel gesetzt ist</translation>
        </message>
        <message>
            <source>Preview {number} received…</source>
            <translation>Vorschau {number} empfangen…</translation>
        </message>
        <message>
            <source>Charged {charged} credits; {balance} left.</source>
            <translation>{charged} Credits abgebucht; {balance} übrig.</translation>
        </message>
        <message>
            <source>Cost: {price}</source>
            <translation>Kosten: {price}</translation>
        </message>
        <message>
            <source>Cost: about {price}</source>
            <translation>Kosten: etwa {price}</translation>
        </message>
        <message>
            <source>Buy more with `imgdesk tokens buy PACK` (see `imgdesk tokens packs`).</source>
            <translation>Mehr kaufen Sie mit `imgdesk tokens buy PACK` (siehe `imgdesk tokens packs`).</translation>
        </message>
        <message>
            <source>Cancelled; nothing was written.</source>
            <translation>Abgebrochen; es wurde nichts geschrieben.</translation>
        </message>
        <message>
            <source>model</source>
            <translation>Modell</translation>
        </message>
        <message>
            <source>state</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>sizes</source>
            <translation>Größen</translation>
        </message>
        <message>
            <source>qualities</source>
            <translation>Qualitäten</translation>
        </message>
        <message>
            <source>features</source>
            <translation>Funktionen</translation>
        </message>
        <message>
            <source>price</source>
            <translation>Preis</translation>
        </message>
        <message>
            <source>current</source>
            <translation>aktuell</translation>
        </message>
        <message>
            <source>deprecated</source>
            <translation>veraltet</translation>
        </message>
        <message>
            <source>mask</source>
            <translation>Maske</translation>
        </message>
        <message>
            <source>input fidelity</source>
            <translation>Treue zur Vorlage</translation>
        </message>
        <message>
            <source>transparent</source>
            <translation>transparent</translation>
        </message>
        <message>
            <source>transparent (preview)</source>
            <translation>transparent (Vorschau)</translation>
        </message>
        <message>
            <source>streaming</source>
            <translation>Streaming</translation>
        </message>
        <message>
            <source>print the whole catalog as JSON instead of a table</source>
            <translation>den ganzen Katalog als JSON statt als Tabelle ausgeben</translation>
        </message>
        <message>
            <source>shut down on {date}</source>
            <translation>abgeschaltet am {date}</translation>
        </message>
        <message>
            <source>flexible: multiples of {multiple}, 1:{tall}–{wide}:1, up to {width}x{height}</source>
            <translation>flexibel: Vielfache von {multiple}, 1:{tall}–{wide}:1, bis {width}x{height}</translation>
        </message>
        <message>
            <source>flexible: multiples of {multiple}, 1:{tall}–{wide}:1</source>
            <translation>flexibel: Vielfache von {multiple}, 1:{tall}–{wide}:1</translation>
        </message>
        <message>
            <source>Price: USD per image at {size}, {quality} quality; prices taken on {date}. — means no published price.</source>
            <translation>Preis: USD pro Bild bei {size}, Qualität {quality}; Preise vom {date}. — heißt: kein veröffentlichter Preis.</translation>
        </message>
        <message>
            <source>print the credits left</source>
            <translation>die verbleibenden Credits ausgeben</translation>
        </message>
        <message>
            <source>list the token packs on sale</source>
            <translation>die erhältlichen Token-Pakete auflisten</translation>
        </message>
        <message>
            <source>buy a pack through Stripe Checkout in the browser</source>
            <translation>ein Paket über Stripe Checkout im Browser kaufen</translation>
        </message>
        <message>
            <source>the pack id (see `imgdesk tokens packs`)</source>
            <translation>die Paket-ID (siehe `imgdesk tokens packs`)</translation>
        </message>
        <message>
            <source>only print the Checkout address; open it yourself on this computer</source>
            <translation>nur die Adresse der Bezahlseite ausgeben; öffnen Sie sie selbst auf diesem Computer</translation>
        </message>
        <message>
            <source>give up and close the payment page after this long (default: %(default)g)</source>
            <translation>nach so vielen Sekunden aufgeben und die Zahlungsseite schließen (Standard: %(default)g)</translation>
        </message>
        <message>
            <source>list every credit entry, oldest first</source>
            <translation>alle Credit-Buchungen auflisten, älteste zuerst</translation>
        </message>
        <message>
            <source>Checkout: {url}</source>
            <translation>Bezahlseite: {url}</translation>
        </message>
        <message>
            <source>Waiting for the payment… (Ctrl+C cancels)</source>
            <translation>Warten auf die Zahlung… (Strg+C bricht ab)</translation>
        </message>
        <message>
            <source>Balance: {credits}</source>
            <translation>Guthaben: {credits}</translation>
        </message>
        <message>
            <source>1 pending purchase could not be checked: {reason} Credits for a paid one are added once Stripe confirms it.</source>
            <translation>1 offener Kauf konnte nicht geprüft werden: {reason} Credits für einen bezahlten Kauf werden gutgeschrieben, sobald Stripe ihn bestätigt.</translation>
        </message>
        <message>
            <source>{count} pending purchases could not be checked: {reason} Credits for a paid one are added once Stripe confirms it.</source>
            <translation>{count} offene Käufe konnten nicht geprüft werden: {reason} Credits für einen bezahlten Kauf werden gutgeschrieben, sobald Stripe ihn bestätigt.</translation>
        </message>
        <message>
            <source>1 pending purchase is still being processed by the bank; the credits arrive when the payment clears.</source>
            <translation>1 offener Kauf wird noch von der Bank bearbeitet; die Credits kommen, sobald die Zahlung abgeschlossen ist.</translation>
        </message>
        <message>
            <source>{count} pending purchases are still being processed by the bank; the credits arrive when the payment clears.</source>
            <translation>{count} offene Käufe werden noch von der Bank bearbeitet; die Credits kommen, sobald die Zahlung abgeschlossen ist.</translation>
        </message>
        <message>
            <source>{count} credits</source>
            <translation>{count} Credits</translation>
        </message>
        <message>
            <source>(cost {amount})</source>
            <translation>(Kosten {amount})</translation>
        </message>
        <message>
            <source>No purchases or charges yet.</source>
            <translation>Noch keine Käufe oder Abbuchungen.</translation>
        </message>
        <message>
            <source>Queue paused: {reason}</source>
            <translation>Warteschlange pausiert: {reason}</translation>
        </message>
    </context>
    <context>
        <name>errors</name>
        <message>
            <source>Token packs are not for sale here: no shop is configured (set STRIPE_API_KEY).</source>
            <translation>Token-Pakete sind hier nicht erhältlich: Es ist kein Shop eingerichtet (STRIPE_API_KEY setzen).</translation>
        </message>
        <message>
            <source>There is no pack “{pack_id}”. Packs: {known}.</source>
            <translation>Es gibt kein Paket „{pack_id}“. Pakete: {known}.</translation>
        </message>
        <message>
            <source>Stripe did not provide a payment page.</source>
            <translation>Stripe hat keine Zahlungsseite bereitgestellt.</translation>
        </message>
        <message>
            <source>The disk is full; {name} could not be saved. Free some space and try again.</source>
            <translation>Der Datenträger ist voll; {name} konnte nicht gespeichert werden. Geben Sie Speicherplatz frei und versuchen Sie es erneut.</translation>
        </message>
        <message>
            <source>imgdesk is not allowed to write to {parent}. Choose another folder.</source>
            <translation>imgdesk darf nicht in {parent} schreiben. Wählen Sie einen anderen Ordner.</translation>
        </message>
        <message>
            <source>{name} could not be saved: {value}.</source>
            <translation>{name} konnte nicht gespeichert werden: {value}.</translation>
        </message>
        <message>
            <source>The prompt file {path} does not exist.</source>
            <translation>Die Prompt-Datei {path} existiert nicht.</translation>
        </message>
        <message>
            <source>{path} is a folder; give a .txt or .csv file of prompts.</source>
            <translation>{path} ist ein Ordner; geben Sie eine .txt- oder .csv-Datei mit Prompts an.</translation>
        </message>
        <message>
            <source>The prompt file {path} cannot be read: {strerror}.</source>
            <translation>Die Prompt-Datei {path} kann nicht gelesen werden: {strerror}.</translation>
        </message>
        <message>
            <source>The prompt file {name} is not UTF-8 text. Save it as UTF-8 and try again.</source>
            <translation>Die Prompt-Datei {name} ist kein UTF-8-Text. Speichern Sie sie als UTF-8 und versuchen Sie es erneut.</translation>
        </message>
        <message>
            <source>{name} is not a text file; give a .txt or .csv file of prompts.</source>
            <translation>{name} ist keine Textdatei; geben Sie eine .txt- oder .csv-Datei mit Prompts an.</translation>
        </message>
        <message>
            <source>{name} is not a readable CSV file: {error}.</source>
            <translation>{name} ist keine lesbare CSV-Datei: {error}.</translation>
        </message>
        <message>
            <source>{name} has no prompts (blank lines and # comments are skipped).</source>
            <translation>{name} enthält keine Prompts (Leerzeilen und #-Kommentare werden übersprungen).</translation>
        </message>
        <message>
            <source>{name} has {count} prompts; a batch takes at most {MAX_PROMPTS}.</source>
            <translation>{name} enthält {count} Prompts; ein Stapel nimmt höchstens {MAX_PROMPTS} an.</translation>
        </message>
        <message>
            <source>{parent} has too many files named like {name}.</source>
            <translation>In {parent} gibt es zu viele Dateien mit Namen wie {name}.</translation>
        </message>
        <message>
            <source>imgdesk could not listen for the payment page's answer on this computer.</source>
            <translation>imgdesk konnte auf diesem Computer nicht auf die Antwort der Zahlungsseite warten.</translation>
        </message>
        <message>
            <source>imgdesk does not know the model “{model_id}”. Known models: {known}.</source>
            <translation>imgdesk kennt das Modell „{model_id}“ nicht. Bekannte Modelle: {known}.</translation>
        </message>
        <message>
            <source>“{text}” is not a size; write it as WIDTHxHEIGHT, for example 1536x1024, or auto.</source>
            <translation>„{text}“ ist keine Größe; schreiben Sie sie als BREITExHÖHE, zum Beispiel 1536x1024, oder auto.</translation>
        </message>
        <message>
            <source>{label} cannot edit inside a mask.</source>
            <translation>{label} kann nicht innerhalb einer Maske bearbeiten.</translation>
        </message>
        <message>
            <source>Describe what should appear in the masked area.</source>
            <translation>Beschreiben Sie, was im maskierten Bereich erscheinen soll.</translation>
        </message>
        <message>
            <source>The prompt has {count:,} characters; {label} reads at most {prompt_max_chars:,}.</source>
            <translation>Der Prompt hat {count:,} Zeichen; {label} liest höchstens {prompt_max_chars:,}.</translation>
        </message>
        <message>
            <source>{label} offers the qualities {qualities}, not “{quality}”.</source>
            <translation>{label} bietet die Qualitäten {qualities}, nicht „{quality}“.</translation>
        </message>
        <message>
            <source>Ask for between 1 and {MAX_VARIANTS} variants, not {n}.</source>
            <translation>Fordern Sie zwischen 1 und {MAX_VARIANTS} Varianten an, nicht {n}.</translation>
        </message>
        <message>
            <source>{label} cannot make {width}x{height}: it only makes these sizes: {allowed}.</source>
            <translation>{label} kann {width}x{height} nicht erzeugen: Es erzeugt nur diese Größen: {allowed}.</translation>
        </message>
        <message>
            <source>{label} cannot make {width}x{height}: width and height must both be multiples of {multiple}.</source>
            <translation>{label} kann {width}x{height} nicht erzeugen: Breite und Höhe müssen beide Vielfache von {multiple} sein.</translation>
        </message>
        <message>
            <source>{label} cannot make {width}x{height}: the aspect ratio must be between 1:{tall} and {wide}:1.</source>
            <translation>{label} kann {width}x{height} nicht erzeugen: Das Seitenverhältnis muss zwischen 1:{tall} und {wide}:1 liegen.</translation>
        </message>
        <message>
            <source>{label} cannot make {width}x{height}: no side may be longer than {longest} pixels.</source>
            <translation>{label} kann {width}x{height} nicht erzeugen: Keine Seite darf länger als {longest} Pixel sein.</translation>
        </message>
        <message>
            <source>{label} cannot make {width}x{height}: that is more than its maximum of {max_pixels:,} pixels.</source>
            <translation>{label} kann {width}x{height} nicht erzeugen: Das ist mehr als sein Maximum von {max_pixels:,} Pixeln.</translation>
        </message>
        <message>
            <source>{label} cannot make {width}x{height}: that is less than its minimum of {min_pixels:,} pixels.</source>
            <translation>{label} kann {width}x{height} nicht erzeugen: Das ist weniger als sein Minimum von {min_pixels:,} Pixeln.</translation>
        </message>
        <message>
            <source>{label} was shut down on {date}; use {replacement} instead.</source>
            <translation>{label} wurde am {date} abgeschaltet; verwenden Sie stattdessen {replacement}.</translation>
        </message>
        <message>
            <source>{label} was shut down on {date}.</source>
            <translation>{label} wurde am {date} abgeschaltet.</translation>
        </message>
        <message>
            <source>imgdesk does not know the model “{model_id}”. Did you mean {suggestion}? Known models: {known}.</source>
            <translation>imgdesk kennt das Modell „{model_id}“ nicht. Meinten Sie {suggestion}? Bekannte Modelle: {known}.</translation>
        </message>
        <message>
            <source>{label} needs an explicit size.</source>
            <translation>{label} braucht eine ausdrückliche Größe.</translation>
        </message>
        <message>
            <source>Choose PNG, JPEG or WebP output, not “{output_format}”.</source>
            <translation>Wählen Sie PNG, JPEG oder WebP als Ausgabe, nicht „{output_format}“.</translation>
        </message>
        <message>
            <source>Compression applies to JPEG and WebP output only.</source>
            <translation>Kompression gilt nur für JPEG- und WebP-Ausgabe.</translation>
        </message>
        <message>
            <source>Compression is a percentage from 0 to 100.</source>
            <translation>Die Kompression ist ein Prozentwert von 0 bis 100.</translation>
        </message>
        <message>
            <source>Background must be auto, opaque or transparent, not “{background}”.</source>
            <translation>Der Hintergrund muss auto, opaque oder transparent sein, nicht „{background}“.</translation>
        </message>
        <message>
            <source>{label} cannot make transparent backgrounds.</source>
            <translation>{label} kann keine transparenten Hintergründe erzeugen.</translation>
        </message>
        <message>
            <source>A transparent background needs PNG or WebP output; JPEG has no alpha.</source>
            <translation>Ein transparenter Hintergrund braucht PNG- oder WebP-Ausgabe; JPEG hat keinen Alphakanal.</translation>
        </message>
        <message>
            <source>{label} does not take an input fidelity setting.</source>
            <translation>{label} nimmt keine Einstellung für die Treue zur Vorlage an.</translation>
        </message>
        <message>
            <source>{label} supports input fidelity {input_fidelity} only.</source>
            <translation>{label} unterstützt nur die Treue zur Vorlage {input_fidelity}.</translation>
        </message>
        <message>
            <source>{label} cannot stream partial images.</source>
            <translation>{label} kann keine Zwischenbilder streamen.</translation>
        </message>
        <message>
            <source>Partial images must be between 0 and {max_partial_images}.</source>
            <translation>Die Zahl der Zwischenbilder muss zwischen 0 und {max_partial_images} liegen.</translation>
        </message>
        <message>
            <source>{label} takes at most {max_input_images} input images including the photo; remove {value} reference image(s).</source>
            <translation>{label} nimmt höchstens {max_input_images} Eingabebilder einschließlich des Fotos an; entfernen Sie {value} Referenzbild(er).</translation>
        </message>
        <message>
            <source>The shop's Stripe key was refused. Check STRIPE_API_KEY.</source>
            <translation>Der Stripe-Schlüssel des Shops wurde abgelehnt. Prüfen Sie STRIPE_API_KEY.</translation>
        </message>
        <message>
            <source>The shop's Stripe key is not allowed to manage Checkout Sessions. Give the restricted key write access to Checkout Sessions.</source>
            <translation>Der Stripe-Schlüssel des Shops darf keine Checkout-Sessions verwalten. Geben Sie dem eingeschränkten Schlüssel Schreibzugriff auf Checkout-Sessions.</translation>
        </message>
        <message>
            <source>Stripe is busy. Try again in a moment.</source>
            <translation>Stripe ist ausgelastet. Versuchen Sie es gleich noch einmal.</translation>
        </message>
        <message>
            <source>Stripe cannot be reached. Check the connection.</source>
            <translation>Stripe ist nicht erreichbar. Prüfen Sie die Verbindung.</translation>
        </message>
        <message>
            <source>Stripe does not know this payment.</source>
            <translation>Stripe kennt diese Zahlung nicht.</translation>
        </message>
        <message>
            <source>Stripe refused the request for this purchase.</source>
            <translation>Stripe hat die Anfrage für diesen Kauf abgelehnt.</translation>
        </message>
        <message>
            <source>Stripe failed to answer. Try again in a moment.</source>
            <translation>Stripe hat nicht geantwortet. Versuchen Sie es gleich noch einmal.</translation>
        </message>
        <message>
            <source>The photo must be 8-bit RGBA pixels.</source>
            <translation>Das Foto muss aus 8-Bit-RGBA-Pixeln bestehen.</translation>
        </message>
        <message>
            <source>The photo is {width}x{height} pixels but the edit was planned for {image_size}x{image_size2}; plan the edit again.</source>
            <translation>Das Foto hat {width}x{height} Pixel, die Bearbeitung wurde aber für {image_size}x{image_size2} geplant; planen Sie die Bearbeitung neu.</translation>
        </message>
        <message>
            <source>The mask no longer matches the photo; paint it again and retry.</source>
            <translation>Die Maske passt nicht mehr zum Foto; malen Sie sie neu und versuchen Sie es erneut.</translation>
        </message>
        <message>
            <source>The picture the image service returned is not usable RGBA pixels.</source>
            <translation>Das vom Bilddienst gelieferte Bild besteht nicht aus verwendbaren RGBA-Pixeln.</translation>
        </message>
        <message>
            <source>The mask or its feather reaches past the area that was sent for editing; it probably changed after the edit was started. Run the edit again.</source>
            <translation>Die Maske oder ihre weiche Kante reicht über den zur Bearbeitung gesendeten Bereich hinaus; sie wurde wahrscheinlich nach dem Start der Bearbeitung geändert. Starten Sie die Bearbeitung erneut.</translation>
        </message>
        <message>
            <source>“{name}” is not an engine; choose openai or local.</source>
            <translation>„{name}“ ist keine Engine; wählen Sie openai oder local.</translation>
        </message>
        <message>
            <source>The offline engine could not fill the masked area of this picture.</source>
            <translation>Die Offline-Engine konnte den maskierten Bereich dieses Bildes nicht füllen.</translation>
        </message>
        <message>
            <source>The mask is not the same size as the picture it belongs to.</source>
            <translation>Die Maske hat nicht dieselbe Größe wie das zugehörige Bild.</translation>
        </message>
        <message>
            <source>The mask has no transparency to mark the edit area.</source>
            <translation>Die Maske hat keine Transparenz, die den Bearbeitungsbereich markiert.</translation>
        </message>
        <message>
            <source>Paint over the area to remove first; the mask is empty.</source>
            <translation>Malen Sie zuerst den zu entfernenden Bereich aus; die Maske ist leer.</translation>
        </message>
        <message>
            <source>The offline engine fills the painted area from what surrounds it, and everything is painted. Leave part of the picture unpainted, or use an online model.</source>
            <translation>Die Offline-Engine füllt den ausgemalten Bereich aus seiner Umgebung, aber alles ist ausgemalt. Lassen Sie einen Teil des Bildes frei oder verwenden Sie ein Online-Modell.</translation>
        </message>
        <message>
            <source>The {what} sent to the offline engine is unreadable.</source>
            <translation>Die an die Offline-Engine gesendete Datei ({what}) ist nicht lesbar.</translation>
        </message>
        <message>
            <source>The offline engine could not encode its result.</source>
            <translation>Die Offline-Engine konnte ihr Ergebnis nicht kodieren.</translation>
        </message>
        <message>
            <source>OpenAI sent back something that is not an image. The edit can be retried.</source>
            <translation>OpenAI hat etwas zurückgeschickt, das kein Bild ist. Die Bearbeitung kann wiederholt werden.</translation>
        </message>
        <message>
            <source>OpenAI sent back {got}. The edit can be retried.</source>
            <translation>OpenAI hat {got} zurückgeschickt. Die Bearbeitung kann wiederholt werden.</translation>
        </message>
        <message>
            <source>No OpenAI API key is set. Add one in Settings, or switch to the local engine.</source>
            <translation>Es ist kein OpenAI-API-Schlüssel gesetzt. Fügen Sie in den Einstellungen einen hinzu oder wechseln Sie zur lokalen Engine.</translation>
        </message>
        <message>
            <source>{subject} is empty.</source>
            <translation>{subject} ist leer.</translation>
        </message>
        <message>
            <source>The picture is empty: it contains no data.</source>
            <translation>Das Bild ist leer: Es enthält keine Daten.</translation>
        </message>
        <message>
            <source>{name} is empty: it contains no data.</source>
            <translation>{name} ist leer: Die Datei enthält keine Daten.</translation>
        </message>
        <message>
            <source>{subject} is damaged: its header says it has no pixels.</source>
            <translation>{subject} ist beschädigt: Laut Dateikopf hat es keine Pixel.</translation>
        </message>
        <message>
            <source>{subject} has more than {bomb_limit} MP; imgdesk opens pictures up to {limit} MP.</source>
            <translation>{subject} hat mehr als {bomb_limit} MP; imgdesk öffnet Bilder bis {limit} MP.</translation>
        </message>
        <message>
            <source>{subject} is {width}×{height} pixels ({value} MP); imgdesk opens pictures up to {limit} MP.</source>
            <translation>{subject} hat {width}×{height} Pixel ({value} MP); imgdesk öffnet Bilder bis {limit} MP.</translation>
        </message>
        <message>
            <source>{subject} is too large to open with the memory this computer has free.</source>
            <translation>{subject} ist zu groß, um mit dem freien Arbeitsspeicher dieses Computers geöffnet zu werden.</translation>
        </message>
        <message>
            <source>{subject} is damaged: it ends early, so part of it is missing.</source>
            <translation>{subject} ist beschädigt: Die Datei endet vorzeitig, ein Teil fehlt.</translation>
        </message>
        <message>
            <source>{subject} is damaged: its compressed data is corrupt.</source>
            <translation>{subject} ist beschädigt: Die komprimierten Daten sind fehlerhaft.</translation>
        </message>
        <message>
            <source>{subject} is damaged: imgdesk could not read its pixels.</source>
            <translation>{subject} ist beschädigt: imgdesk konnte die Pixel nicht lesen.</translation>
        </message>
        <message>
            <source>{subject} is damaged: imgdesk could not read its {format_name} header.</source>
            <translation>{subject} ist beschädigt: imgdesk konnte den {format_name}-Dateikopf nicht lesen.</translation>
        </message>
        <message>
            <source>{subject} is not a picture imgdesk can open. imgdesk opens PNG, JPEG, WebP, TIFF, BMP and GIF pictures.</source>
            <translation>{subject} ist kein Bild, das imgdesk öffnen kann. imgdesk öffnet PNG-, JPEG-, WebP-, TIFF-, BMP- und GIF-Bilder.</translation>
        </message>
        <message>
            <source>{subject} is not a picture imgdesk can open (it looks like {description}). imgdesk opens PNG, JPEG, WebP, TIFF, BMP and GIF pictures.</source>
            <translation>{subject} ist kein Bild, das imgdesk öffnen kann (es sieht aus wie {description}). imgdesk öffnet PNG-, JPEG-, WebP-, TIFF-, BMP- und GIF-Bilder.</translation>
        </message>
        <message>
            <source>imgdesk cannot find {name}: it may have been moved or deleted.</source>
            <translation>imgdesk findet {name} nicht: Die Datei wurde vielleicht verschoben oder gelöscht.</translation>
        </message>
        <message>
            <source>imgdesk is not allowed to read {name}. Check the file's permissions.</source>
            <translation>imgdesk darf {name} nicht lesen. Prüfen Sie die Zugriffsrechte der Datei.</translation>
        </message>
        <message>
            <source>{name} is a folder, not a picture.</source>
            <translation>{name} ist ein Ordner, kein Bild.</translation>
        </message>
        <message>
            <source>imgdesk cannot open {name}: its name is too long.</source>
            <translation>imgdesk kann {name} nicht öffnen: Der Name ist zu lang.</translation>
        </message>
        <message>
            <source>imgdesk could not read {name}: {value}.</source>
            <translation>imgdesk konnte {name} nicht lesen: {value}.</translation>
        </message>
        <message>
            <source>imgdesk saves pictures as PNG, JPEG or WebP, not {format}.</source>
            <translation>imgdesk speichert Bilder als PNG, JPEG oder WebP, nicht als {format}.</translation>
        </message>
        <message>
            <source>The picture is {width}×{height} pixels, too large for {shown} (at most {limit} pixels a side). Save it as PNG instead.</source>
            <translation>Das Bild hat {width}×{height} Pixel und ist zu groß für {shown} (höchstens {limit} Pixel pro Seite). Speichern Sie es stattdessen als PNG.</translation>
        </message>
        <message>
            <source>imgdesk saves pictures as .png, .jpg or .webp; {name} has another ending.</source>
            <translation>imgdesk speichert Bilder als .png, .jpg oder .webp; {name} hat eine andere Endung.</translation>
        </message>
        <message>
            <source>imgdesk could not turn the picture into a {shown} file.</source>
            <translation>imgdesk konnte das Bild nicht in eine {shown}-Datei umwandeln.</translation>
        </message>
        <message>
            <source>imgdesk has no price for {model}, so it cannot be paid with credits. Choose another model.</source>
            <translation>imgdesk hat keinen Preis für {model}, daher kann es nicht mit Credits bezahlt werden. Wählen Sie ein anderes Modell.</translation>
        </message>
        <message>
            <source>Not enough credits: this edit needs {needed}, you have {balance}.</source>
            <translation>Nicht genug Credits: Diese Bearbeitung braucht {needed}, Sie haben {balance}.</translation>
        </message>
        <message>
            <source>The credit ledger was written by a newer imgdesk. Update imgdesk to use it.</source>
            <translation>Das Credit-Konto wurde von einer neueren imgdesk-Version geschrieben. Aktualisieren Sie imgdesk, um es zu verwenden.</translation>
        </message>
        <message>
            <source>The credit ledger could not be read or written. Check that the data folder is writable and the disk is not full.</source>
            <translation>Das Credit-Konto konnte nicht gelesen oder geschrieben werden. Prüfen Sie, ob der Datenordner beschreibbar und der Datenträger nicht voll ist.</translation>
        </message>
        <message>
            <source>imgdesk cannot write its log file in {parent} ({value}).</source>
            <translation>imgdesk kann seine Protokolldatei in {parent} nicht schreiben ({value}).</translation>
        </message>
        <message>
            <source>A mask needs a width and height of at least one pixel.</source>
            <translation>Eine Maske braucht eine Breite und Höhe von mindestens einem Pixel.</translation>
        </message>
        <message>
            <source>Grow and shrink take zero or more pixels.</source>
            <translation>Vergrößern und Verkleinern erwarten null oder mehr Pixel.</translation>
        </message>
        <message>
            <source>The mask must be a single 8-bit channel.</source>
            <translation>Die Maske muss ein einzelner 8-Bit-Kanal sein.</translation>
        </message>
        <message>
            <source>The brush size must be larger than zero.</source>
            <translation>Die Pinselgröße muss größer als null sein.</translation>
        </message>
        <message>
            <source>Brush hardness must be between 0 and 1.</source>
            <translation>Die Pinselhärte muss zwischen 0 und 1 liegen.</translation>
        </message>
        <message>
            <source>The mask is {mask_size}x{mask_size2} pixels but the photo is {image_size}x{image_size2}; a mask must match the photo exactly.</source>
            <translation>Die Maske hat {mask_size}x{mask_size2} Pixel, das Foto aber {image_size}x{image_size2}; eine Maske muss genau zum Foto passen.</translation>
        </message>
        <message>
            <source>The mask must be a single 8-bit grey channel with one value per photo pixel.</source>
            <translation>Die Maske muss ein einzelner 8-Bit-Graukanal mit einem Wert pro Fotopixel sein.</translation>
        </message>
        <message>
            <source>The mask has no pixels.</source>
            <translation>Die Maske hat keine Pixel.</translation>
        </message>
        <message>
            <source>The mask is empty: paint the area to change first.</source>
            <translation>Die Maske ist leer: Malen Sie zuerst den zu ändernden Bereich aus.</translation>
        </message>
        <message>
            <source>The feather radius must be zero or more pixels.</source>
            <translation>Der Radius der weichen Kante muss null oder mehr Pixel betragen.</translation>
        </message>
        <message>
            <source>The mask file could not be read; use a PNG with transparency or a greyscale image.</source>
            <translation>Die Maskendatei konnte nicht gelesen werden; verwenden Sie ein PNG mit Transparenz oder ein Graustufenbild.</translation>
        </message>
        <message>
            <source>The mask file could not be opened.</source>
            <translation>Die Maskendatei konnte nicht geöffnet werden.</translation>
        </message>
        <message>
            <source>The mask file has no pixels.</source>
            <translation>Die Maskendatei hat keine Pixel.</translation>
        </message>
        <message>
            <source>The photo has no pixels to extend.</source>
            <translation>Das Foto hat keine Pixel, die erweitert werden könnten.</translation>
        </message>
        <message>
            <source>The aspect ratio must be a positive number, such as 16:9.</source>
            <translation>Das Seitenverhältnis muss eine positive Zahl sein, etwa 16:9.</translation>
        </message>
        <message>
            <source>The photo can be anchored at {anchors}, not “{anchor}”.</source>
            <translation>Das Foto kann an {anchors} verankert werden, nicht an „{anchor}“.</translation>
        </message>
        <message>
            <source>The photo must be 8-bit RGBA to extend it.</source>
            <translation>Das Foto muss 8-Bit-RGBA sein, um es zu erweitern.</translation>
        </message>
        <message>
            <source>The canvas can only grow: margins must be zero or more pixels.</source>
            <translation>Die Arbeitsfläche kann nur wachsen: Ränder müssen null oder mehr Pixel betragen.</translation>
        </message>
        <message>
            <source>The seam overlap must be zero or more pixels.</source>
            <translation>Die Überlappung an der Naht muss null oder mehr Pixel betragen.</translation>
        </message>
        <message>
            <source>Something went wrong inside imgdesk. The photo is unchanged; details are in the log.</source>
            <translation>In imgdesk ist etwas schiefgegangen. Das Foto ist unverändert; Details stehen im Protokoll.</translation>
        </message>
        <message>
            <source>The photo must be 8-bit RGBA pixels before it can be edited.</source>
            <translation>Das Foto muss aus 8-Bit-RGBA-Pixeln bestehen, bevor es bearbeitet werden kann.</translation>
        </message>
        <message>
            <source>The area to edit is too large to upload; choose a smaller size.</source>
            <translation>Der zu bearbeitende Bereich ist zu groß zum Hochladen; wählen Sie eine kleinere Größe.</translation>
        </message>
        <message>
            <source>The mask is too intricate to upload (over 4 MB); smooth or simplify it and retry.</source>
            <translation>Die Maske ist zu detailreich zum Hochladen (über 4 MB); glätten oder vereinfachen Sie sie und versuchen Sie es erneut.</translation>
        </message>
        <message>
            <source>The key is empty.</source>
            <translation>Der Schlüssel ist leer.</translation>
        </message>
        <message>
            <source>No system keyring is available to store the key safely. Use it for this session only, or set the environment variable {name} before starting imgdesk.</source>
            <translation>Es ist kein System-Schlüsselbund verfügbar, um den Schlüssel sicher zu speichern. Verwenden Sie ihn nur für diese Sitzung oder setzen Sie vor dem Start von imgdesk die Umgebungsvariable {name}.</translation>
        </message>
        <message>
            <source>The system keyring refused to store the key ({reason}).</source>
            <translation>Der System-Schlüsselbund hat das Speichern des Schlüssels verweigert ({reason}).</translation>
        </message>
        <message>
            <source>A picture from the history is missing from the data folder.</source>
            <translation>Ein Bild aus dem Verlauf fehlt im Datenordner.</translation>
        </message>
        <message>
            <source>The history in {parent} was written by a newer imgdesk (format {found}, this version reads up to {SCHEMA_VERSION}). Update imgdesk to open it; it was left untouched.</source>
            <translation>Der Verlauf in {parent} wurde von einer neueren imgdesk-Version geschrieben (Format {found}, diese Version liest bis {SCHEMA_VERSION}). Aktualisieren Sie imgdesk, um ihn zu öffnen; er blieb unverändert.</translation>
        </message>
        <message>
            <source>The history is in use by another imgdesk window or process. Close it or wait for it to finish, then try again; nothing was changed.</source>
            <translation>Der Verlauf wird von einem anderen imgdesk-Fenster oder -Prozess verwendet. Schließen Sie es oder warten Sie, bis es fertig ist, und versuchen Sie es dann erneut; nichts wurde geändert.</translation>
        </message>
        <message>
            <source>The disk holding the history ({where}) is full. Free some space and try again; the history was left as it was.</source>
            <translation>Der Datenträger mit dem Verlauf ({where}) ist voll. Geben Sie Speicherplatz frei und versuchen Sie es erneut; der Verlauf blieb unverändert.</translation>
        </message>
        <message>
            <source>The history in {where} cannot be opened for writing (the disk or folder is read-only, or imgdesk lacks permission). Nothing was changed.</source>
            <translation>Der Verlauf in {where} kann nicht zum Schreiben geöffnet werden (der Datenträger oder Ordner ist schreibgeschützt oder imgdesk fehlt die Berechtigung). Nichts wurde geändert.</translation>
        </message>
        <message>
            <source>The disk reported an error while using the history in {where}. Check the disk and try again; nothing was moved or deleted.</source>
            <translation>Der Datenträger meldete einen Fehler beim Zugriff auf den Verlauf in {where}. Prüfen Sie den Datenträger und versuchen Sie es erneut; nichts wurde verschoben oder gelöscht.</translation>
        </message>
        <message>
            <source>The history database in {where} could not be used: {error}.</source>
            <translation>Die Verlaufsdatenbank in {where} konnte nicht verwendet werden: {error}.</translation>
        </message>
        <message>
            <source>The history database in {parent} was damaged and kept as {name}, but a new one could not be started there ({again}).</source>
            <translation>Die Verlaufsdatenbank in {parent} war beschädigt und wurde als {name} aufbewahrt, aber dort konnte keine neue angelegt werden ({again}).</translation>
        </message>
        <message>
            <source>That history entry no longer exists.</source>
            <translation>Dieser Verlaufseintrag existiert nicht mehr.</translation>
        </message>
        <message>
            <source>That variant does not exist.</source>
            <translation>Diese Variante existiert nicht.</translation>
        </message>
        <message>
            <source>That queued edit no longer exists.</source>
            <translation>Diese wartende Bearbeitung existiert nicht mehr.</translation>
        </message>
        <message>
            <source>{label} is not available to this account. Pick another model.</source>
            <translation>{label} ist für dieses Konto nicht verfügbar. Wählen Sie ein anderes Modell.</translation>
        </message>
        <message>
            <source>{label} is no longer available from OpenAI. Switch to {replacement_label}.</source>
            <translation>{label} ist bei OpenAI nicht mehr verfügbar. Wechseln Sie zu {replacement_label}.</translation>
        </message>
        <message>
            <source>OpenAI only lets verified organisations use “{model}”. Verify your organisation at platform.openai.com (Settings → Organization → General), wait about 15 minutes and try again — or pick another model.</source>
            <translation>OpenAI lässt nur verifizierte Organisationen „{model}“ verwenden. Verifizieren Sie Ihre Organisation auf platform.openai.com (Settings → Organization → General), warten Sie etwa 15 Minuten und versuchen Sie es erneut – oder wählen Sie ein anderes Modell.</translation>
        </message>
        <message>
            <source>OpenAI only lets verified organisations use this model. Verify your organisation at platform.openai.com (Settings → Organization → General), wait about 15 minutes and try again — or pick another model.</source>
            <translation>OpenAI lässt nur verifizierte Organisationen dieses Modell verwenden. Verifizieren Sie Ihre Organisation auf platform.openai.com (Settings → Organization → General), warten Sie etwa 15 Minuten und versuchen Sie es erneut – oder wählen Sie ein anderes Modell.</translation>
        </message>
        <message>
            <source>OpenAI's safety system blocked the result of this edit. Try a different prompt or mask.</source>
            <translation>Das Sicherheitssystem von OpenAI hat das Ergebnis dieser Bearbeitung blockiert. Versuchen Sie einen anderen Prompt oder eine andere Maske.</translation>
        </message>
        <message>
            <source>OpenAI's safety system refused this request (the prompt or the photo). Rephrase the prompt or use a different photo.</source>
            <translation>Das Sicherheitssystem von OpenAI hat diese Anfrage abgelehnt (den Prompt oder das Foto). Formulieren Sie den Prompt um oder verwenden Sie ein anderes Foto.</translation>
        </message>
        <message>
            <source>Your OpenAI account is out of credit or has reached its spending limit. Add credit or raise the limit at platform.openai.com; retrying will not help until then.</source>
            <translation>Ihr OpenAI-Konto hat kein Guthaben mehr oder hat sein Ausgabenlimit erreicht. Laden Sie Guthaben auf oder erhöhen Sie das Limit auf platform.openai.com; bis dahin hilft ein erneuter Versuch nicht.</translation>
        </message>
        <message>
            <source>OpenAI could not use the mask: {exc}</source>
            <translation>OpenAI konnte die Maske nicht verwenden: {exc}</translation>
        </message>
        <message>
            <source>OpenAI did not accept the API key. Check it in Settings.</source>
            <translation>OpenAI hat den API-Schlüssel nicht akzeptiert. Prüfen Sie ihn in den Einstellungen.</translation>
        </message>
        <message>
            <source>This API key is not allowed to make this edit. Check the key's permissions and project in Settings, or pick another model.</source>
            <translation>Dieser API-Schlüssel darf diese Bearbeitung nicht ausführen. Prüfen Sie Berechtigungen und Projekt des Schlüssels in den Einstellungen oder wählen Sie ein anderes Modell.</translation>
        </message>
        <message>
            <source>OpenAI is getting too many requests from this key. Wait {seconds} seconds and try again.</source>
            <translation>OpenAI erhält zu viele Anfragen von diesem Schlüssel. Warten Sie {seconds} Sekunden und versuchen Sie es erneut.</translation>
        </message>
        <message>
            <source>OpenAI is getting too many requests from this key. Wait a moment and try again.</source>
            <translation>OpenAI erhält zu viele Anfragen von diesem Schlüssel. Warten Sie einen Moment und versuchen Sie es erneut.</translation>
        </message>
        <message>
            <source>OpenAI refused the setting “{param}”: {exc}</source>
            <translation>OpenAI hat die Einstellung „{param}“ abgelehnt: {exc}</translation>
        </message>
        <message>
            <source>OpenAI refused the request: {exc}</source>
            <translation>OpenAI hat die Anfrage abgelehnt: {exc}</translation>
        </message>
        <message>
            <source>OpenAI had a problem making this edit (error {status}). The edit can be retried.</source>
            <translation>Bei OpenAI ist bei dieser Bearbeitung ein Problem aufgetreten (Fehler {status}). Die Bearbeitung kann wiederholt werden.</translation>
        </message>
        <message>
            <source>OpenAI had a problem making this edit. The edit can be retried.</source>
            <translation>Bei OpenAI ist bei dieser Bearbeitung ein Problem aufgetreten. Die Bearbeitung kann wiederholt werden.</translation>
        </message>
        <message>
            <source>OpenAI did not answer in time. The edit can be retried.</source>
            <translation>OpenAI hat nicht rechtzeitig geantwortet. Die Bearbeitung kann wiederholt werden.</translation>
        </message>
        <message>
            <source>imgdesk cannot reach {host}. Check the connection; the edit can be retried.</source>
            <translation>imgdesk kann {host} nicht erreichen. Prüfen Sie die Verbindung; die Bearbeitung kann wiederholt werden.</translation>
        </message>
        <message>
            <source>The credit ledger failed.</source>
            <translation>Das Credit-Konto ist ausgefallen.</translation>
        </message>
        <message>
            <source>Something went wrong inside imgdesk; the details are in the log.</source>
            <translation>In imgdesk ist etwas schiefgegangen; die Details stehen im Protokoll.</translation>
        </message>
        <message>
            <source>Open a photo before changing it.</source>
            <translation>Öffnen Sie ein Foto, bevor Sie es ändern.</translation>
        </message>
        <message>
            <source>Open a photo before changing its mask.</source>
            <translation>Öffnen Sie ein Foto, bevor Sie seine Maske ändern.</translation>
        </message>
        <message>
            <source>The mask kept changing, so it was left as it is; try again.</source>
            <translation>Die Maske hat sich währenddessen weiter geändert und blieb daher unverändert; versuchen Sie es erneut.</translation>
        </message>
        <message>
            <source>The picture kept changing, so the canvas was not expanded; try again.</source>
            <translation>Das Bild hat sich währenddessen weiter geändert, daher wurde die Arbeitsfläche nicht erweitert; versuchen Sie es erneut.</translation>
        </message>
        <message>
            <source>The picture must be 8-bit RGBA.</source>
            <translation>Das Bild muss 8-Bit-RGBA sein.</translation>
        </message>
        <message>
            <source>The picture has no pixels.</source>
            <translation>Das Bild hat keine Pixel.</translation>
        </message>
        <message>
            <source>Open a photo first, then paint the area to change.</source>
            <translation>Öffnen Sie zuerst ein Foto und malen Sie dann den zu ändernden Bereich aus.</translation>
        </message>
        <message>
            <source>{name} cannot be a reference image; use PNG, JPEG or WebP.</source>
            <translation>{name} kann kein Referenzbild sein; verwenden Sie PNG, JPEG oder WebP.</translation>
        </message>
        <message>
            <source>{name} could not be read: {strerror}.</source>
            <translation>{name} konnte nicht gelesen werden: {strerror}.</translation>
        </message>
        <message>
            <source>{name} is larger than 50 MB.</source>
            <translation>{name} ist größer als 50 MB.</translation>
        </message>
        <message>
            <source>This model takes at most {limit} reference image(s).</source>
            <translation>Dieses Modell nimmt höchstens {limit} Referenzbild(er) an.</translation>
        </message>
        <message>
            <source>The clipboard holds no image.</source>
            <translation>Die Zwischenablage enthält kein Bild.</translation>
        </message>
        <message>
            <source>The pasted image could not be kept.</source>
            <translation>Das eingefügte Bild konnte nicht behalten werden.</translation>
        </message>
        <message>
            <source>That history entry has no picture.</source>
            <translation>Dieser Verlaufseintrag hat kein Bild.</translation>
        </message>
        <message>
            <source>Open a photo and paint the area to change first.</source>
            <translation>Öffnen Sie zuerst ein Foto und malen Sie den zu ändernden Bereich aus.</translation>
        </message>
        <message>
            <source>-n must be between 1 and 100.</source>
            <translation>-n muss zwischen 1 und 100 liegen.</translation>
        </message>
        <message>
            <source>“{text}” is not a rectangle; write X,Y,WIDTH,HEIGHT in photo pixels.</source>
            <translation>„{text}“ ist kein Rechteck; schreiben Sie X,Y,BREITE,HÖHE in Fotopixeln.</translation>
        </message>
        <message>
            <source>The rectangle {text} lies outside the {width}x{height} photo or has no area.</source>
            <translation>Das Rechteck {text} liegt außerhalb des Fotos mit {width}x{height} Pixeln oder hat keine Fläche.</translation>
        </message>
        <message>
            <source>{path} is a file, not a folder. --out names the folder the results go into; choose a folder (it is made if it does not exist).</source>
            <translation>{path} ist eine Datei, kein Ordner. --out nennt den Ordner, in den die Ergebnisse kommen; wählen Sie einen Ordner (er wird angelegt, falls er nicht existiert).</translation>
        </message>
        <message>
            <source>The folder {path} cannot be made: {blocker} is a file, not a folder.</source>
            <translation>Der Ordner {path} kann nicht angelegt werden: {blocker} ist eine Datei, kein Ordner.</translation>
        </message>
        <message>
            <source>imgdesk may not write into the folder {path}.</source>
            <translation>imgdesk darf nicht in den Ordner {path} schreiben.</translation>
        </message>
        <message>
            <source>{path} is a folder; --mask needs an image file.</source>
            <translation>{path} ist ein Ordner; --mask braucht eine Bilddatei.</translation>
        </message>
        <message>
            <source>There is no mask file {path}.</source>
            <translation>Es gibt keine Maskendatei {path}.</translation>
        </message>
        <message>
            <source>The mask file {path} could not be read.</source>
            <translation>Die Maskendatei {path} konnte nicht gelesen werden.</translation>
        </message>
        <message>
            <source>No OpenAI API key is set. Set the {variable} environment variable, or store the key in the system keyring ({command}, or in the editor's settings); or edit offline with {offline}.</source>
            <translation>Es ist kein OpenAI-API-Schlüssel gesetzt. Setzen Sie die Umgebungsvariable {variable} oder legen Sie den Schlüssel im System-Schlüsselbund ab ({command} oder in den Einstellungen des Editors); oder bearbeiten Sie offline mit {offline}.</translation>
        </message>
        <message>
            <source>OpenAI refused the API key for this edit. imgdesk reads the key from the {variable} environment variable, else from the system keyring ({command}): check the key there, and its project and permissions at platform.openai.com; or edit offline with {offline}.</source>
            <translation>OpenAI hat den API-Schlüssel für diese Bearbeitung abgelehnt. imgdesk liest den Schlüssel aus der Umgebungsvariable {variable}, sonst aus dem System-Schlüsselbund ({command}): Prüfen Sie den Schlüssel dort sowie sein Projekt und seine Berechtigungen auf platform.openai.com; oder bearbeiten Sie offline mit {offline}.</translation>
        </message>
    </context>
    <context>
        <name>language</name>
        <message>
            <source>en</source>
            <translation>de</translation>
        </message>
    </context>
    <context>
        <name>notice</name>
        <message>
            <source>The offline engine removes the masked content and fills it from its surroundings; it ignores the prompt.</source>
            <translation>Die Offline-Engine entfernt den maskierten Inhalt und füllt ihn aus seiner Umgebung auf; den Prompt beachtet sie nicht.</translation>
        </message>
        <message>
            <source>The history database was damaged ({damage}); it was kept as {name} and a new, empty history was started.</source>
            <translation>Die Verlaufsdatenbank war beschädigt ({damage}); sie wurde als {name} aufbewahrt, und ein neuer, leerer Verlauf wurde begonnen.</translation>
        </message>
    </context>
    <context>
        <name>pricing</name>
        <message>
            <source>quality auto is priced as {quality}</source>
            <translation>Qualität „auto“ wird wie {quality} berechnet</translation>
        </message>
        <message>
            <source>at {size}</source>
            <translation>bei {size}</translation>
        </message>
        <message>
            <source>at {size}, scaled by pixel area from {price} at {standard}</source>
            <translation>bei {size}, nach Pixelfläche hochgerechnet von {price} bei {standard}</translation>
        </message>
        <message>
            <source>{count} partial previews add about {tokens:,} output tokens per image ({price})</source>
            <translation>{count} Vorschaubilder kosten etwa {tokens:,} Ausgabe-Tokens je Bild ({price})</translation>
        </message>
        <message>
            <source>{n} × {price}: {model} {quality} quality {size}, prices of {date}</source>
            <translation>{n} × {price}: {model}, Qualität {quality}, {size}, Preise vom {date}</translation>
        </message>
    </context>
    <context>
        <name>selftest</name>
        <message>
            <source>self-test FAILED: {reason}</source>
            <translation>Selbsttest FEHLGESCHLAGEN: {reason}</translation>
        </message>
        <message>
            <source>FAILED</source>
            <translation>FEHLGESCHLAGEN</translation>
        </message>
        <message>
            <source>ok ({details})</source>
            <translation>ok ({details})</translation>
        </message>
        <message>
            <source>cannot use {folder}: {reason}</source>
            <translation>{folder} kann nicht verwendet werden: {reason}</translation>
        </message>
        <message>
            <source>a step took longer than {seconds} s</source>
            <translation>ein Schritt dauerte länger als {seconds} s</translation>
        </message>
        <message>
            <source>imgdesk {version} self-test: Qt {qt}, platform {platform}, locale {locale} (C library: {c_locale}), data in {folder}</source>
            <translation>imgdesk {version} Selbsttest: Qt {qt}, Plattform {platform}, Gebietsschema {locale} (C-Bibliothek: {c_locale}), Daten in {folder}</translation>
        </message>
        <message>
            <source>an unexpected error happened:</source>
            <translation>ein unerwarteter Fehler ist aufgetreten:</translation>
        </message>
        <message>
            <source>self-test passed</source>
            <translation>Selbsttest bestanden</translation>
        </message>
        <message>
            <source>Start the editor window</source>
            <translation>Das Editorfenster starten</translation>
        </message>
        <message>
            <source>the window to appear</source>
            <translation>das Erscheinen des Fensters</translation>
        </message>
        <message>
            <source>Open a bundled sample photo</source>
            <translation>Ein mitgeliefertes Beispielfoto öffnen</translation>
        </message>
        <message>
            <source>the sample photo {name} is not installed with imgdesk</source>
            <translation>das Beispielfoto {name} ist nicht mit imgdesk installiert</translation>
        </message>
        <message>
            <source>the window refused to open the sample</source>
            <translation>das Fenster hat das Öffnen des Beispiels abgelehnt</translation>
        </message>
        <message>
            <source>{name} did not open: {reason}</source>
            <translation>{name} wurde nicht geöffnet: {reason}</translation>
        </message>
        <message>
            <source>the canvas to show the photo</source>
            <translation>die Anzeige des Fotos auf der Arbeitsfläche</translation>
        </message>
        <message>
            <source>Paint a mask over the boat with the brush</source>
            <translation>Mit dem Pinsel eine Maske über das Boot malen</translation>
        </message>
        <message>
            <source>the brush stroke left the mask empty</source>
            <translation>der Pinselstrich hat die Maske leer gelassen</translation>
        </message>
        <message>
            <source>the mask landed at {box}, not under the stroke</source>
            <translation>die Maske liegt bei {box}, nicht unter dem Strich</translation>
        </message>
        <message>
            <source>{pixels:,} px at x={x}, y={y}</source>
            <translation>{pixels:,} px bei x={x}, y={y}</translation>
        </message>
        <message>
            <source>{count:,} pixels changed outside the mask, first at x={x}, y={y}</source>
            <translation>{count:,} Pixel außerhalb der Maske haben sich geändert, das erste bei x={x}, y={y}</translation>
        </message>
        <message>
            <source>Run the offline engine (1 variant)</source>
            <translation>Die Offline-Engine ausführen (1 Variante)</translation>
        </message>
        <message>
            <source>the photo was closed before the edit</source>
            <translation>das Foto wurde vor der Bearbeitung geschlossen</translation>
        </message>
        <message>
            <source>the edit did not start: {reason}</source>
            <translation>die Bearbeitung hat nicht begonnen: {reason}</translation>
        </message>
        <message>
            <source>the edit ended {state}: {reason}</source>
            <translation>die Bearbeitung endete mit {state}: {reason}</translation>
        </message>
        <message>
            <source>the edit returned {count} variants, not 1</source>
            <translation>die Bearbeitung lieferte {count} Varianten statt 1</translation>
        </message>
        <message>
            <source>crop {width}×{height}</source>
            <translation>Ausschnitt {width}×{height}</translation>
        </message>
        <message>
            <source>Apply the variant</source>
            <translation>Die Variante übernehmen</translation>
        </message>
        <message>
            <source>applying the variant left the photo as it was</source>
            <translation>das Übernehmen der Variante hat das Foto nicht verändert</translation>
        </message>
        <message>
            <source>undo step “{name}”</source>
            <translation>Rückgängig-Schritt „{name}“</translation>
        </message>
        <message>
            <source>Check the pixels inside and outside the mask</source>
            <translation>Die Pixel innerhalb und außerhalb der Maske prüfen</translation>
        </message>
        <message>
            <source>only {share} of the masked pixels changed</source>
            <translation>nur {share} der maskierten Pixel haben sich geändert</translation>
        </message>
        <message>
            <source>{share} of the mask changed, nothing beyond {reach} px of it</source>
            <translation>{share} der Maske geändert, nichts weiter als {reach} px davon entfernt</translation>
        </message>
        <message>
            <source>the result could not be saved: {reason}</source>
            <translation>das Ergebnis konnte nicht gespeichert werden: {reason}</translation>
        </message>
        <message>
            <source>saving reported success but {path} is empty</source>
            <translation>das Speichern meldete Erfolg, aber {path} ist leer</translation>
        </message>
        <message>
            <source>result saved to {path}</source>
            <translation>Ergebnis gespeichert in {path}</translation>
        </message>
        <message>
            <source>gave up waiting for {what} after {seconds} s</source>
            <translation>Warten auf {what} nach {seconds} s aufgegeben</translation>
        </message>
        <message>
            <source>no error was reported</source>
            <translation>es wurde kein Fehler gemeldet</translation>
        </message>
        <message>
            <source>{percent}%</source>
            <translation>{percent} %</translation>
        </message>
    </context>
    <context>
        <name>stage</name>
        <message>
            <source>Preparing the masked area…</source>
            <translation>Der maskierte Bereich wird vorbereitet…</translation>
        </message>
        <message>
            <source>Sending a {size} crop to OpenAI…</source>
            <translation>Ein Ausschnitt mit {size} wird an OpenAI gesendet…</translation>
        </message>
        <message>
            <source>Handing a {size} crop to the offline engine…</source>
            <translation>Ein Ausschnitt mit {size} wird an die Offline-Engine übergeben…</translation>
        </message>
        <message>
            <source>Waiting for the result…</source>
            <translation>Warten auf das Ergebnis…</translation>
        </message>
        <message>
            <source>Blending the results into the photo…</source>
            <translation>Die Ergebnisse werden ins Foto eingeblendet…</translation>
        </message>
    </context>
</TS>
