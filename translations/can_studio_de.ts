<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>BenchTask</name>
    <message>
        <source>Loading checkpoint A and the images…</source>
        <translation>Checkpoint A und Bilder werden geladen…</translation>
    </message>
    <message>
        <source>Analysing A: health, σ sweep, attention…</source>
        <translation>Analysiere A: Gesundheit, σ-Durchlauf, Aufmerksamkeit…</translation>
    </message>
    <message>
        <source>Loading checkpoint B…</source>
        <translation>Checkpoint B wird geladen…</translation>
    </message>
    <message>
        <source>Reconstructing with A and B…</source>
        <translation>Rekonstruktion mit A und B…</translation>
    </message>
    <message>
        <source>σ sweep of B…</source>
        <translation>σ-Durchlauf von B…</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
</context>
<context>
    <name>BenchView</name>
    <message>
        <source>Choose a run or checkpoint folder</source>
        <translation>Lauf- oder Checkpoint-Ordner wählen</translation>
    </message>
    <message>
        <source>Bench: look inside a model</source>
        <translation>Werkbank: ein Modell von innen</translation>
    </message>
    <message>
        <source>Checkpoint</source>
        <translation>Checkpoint</translation>
    </message>
    <message>
        <source>a run folder or a checkpoint folder</source>
        <translation>ein Lauf- oder Checkpoint-Ordner</translation>
    </message>
    <message>
        <source>Checkpoint B</source>
        <translation>Checkpoint B</translation>
    </message>
    <message>
        <source>a second run or checkpoint, analysed on the same images, masks and noise</source>
        <translation>ein zweiter Lauf oder Checkpoint, analysiert auf denselben Bildern, Masken und demselben Rauschen</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>Bilder</translation>
    </message>
    <message>
        <source>How many images of the run&apos;s training data (the first batch of epoch 0) are analysed</source>
        <translation>Wie viele Bilder aus den Trainingsdaten des Laufs (der erste Batch von Epoche 0) analysiert werden</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Seed</translation>
    </message>
    <message>
        <source>Fixes the images&apos; order and augmentation, the noise, the masks and the sweep&apos;s shuffle</source>
        <translation>Legt Reihenfolge und Augmentierung der Bilder, das Rauschen, die Masken und die Durchmischung des Durchlaufs fest</translation>
    </message>
    <message>
        <source>Analyse</source>
        <translation>Analysieren</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>σ sweep</source>
        <translation>σ-Durchlauf</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>Gesundheit</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>Aufmerksamkeit</translation>
    </message>
    <message>
        <source>A/B</source>
        <translation>A/B</translation>
    </message>
    <message>
        <source>Each point: the model&apos;s own L_denoise and L_rec on the same images, masks and noise e, with every view&apos;s noise at σ. The noise-level embedding gets the true σ (blue), a shuffled σ (red) or σ = 0 (grey). Dashed: σ_max of the run.</source>
        <translation>Jeder Punkt: L_denoise und L_rec des Modells selbst auf denselben Bildern, Masken und demselben Rauschen e, mit dem Rauschen jeder Ansicht bei σ. Die Rauschpegel-Einbettung erhält das wahre σ (blau), ein vertauschtes σ (rot) oder σ = 0 (grau). Gestrichelt: σ_max des Laufs.</translation>
    </message>
    <message>
        <source>On the contrastive embeddings u of both noisy, masked views of every image, as a training step computes them. Hover over a number for what it means.</source>
        <translation>Auf den kontrastiven Einbettungen u beider verrauschter, maskierter Ansichten jedes Bildes, wie ein Trainingsschritt sie berechnet. Mauszeiger auf eine Zahl halten, um ihre Bedeutung zu sehen.</translation>
    </message>
    <message>
        <source>Choose a checkpoint first</source>
        <translation>Zuerst einen Checkpoint wählen</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Lädt…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <source>%1: %2 images, seed %3</source>
        <translation>%1: %2 Bilder, Seed %3</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Cannot analyse: %1</source>
        <translation>Analyse nicht möglich: %1</translation>
    </message>
    <message>
        <source>This model was trained without N (denoising): it has no noise-level embedding, so there is no σ sweep.</source>
        <translation>Dieses Modell wurde ohne N (Entrauschung) trainiert: Es hat keine Rauschpegel-Einbettung, daher gibt es keinen σ-Durchlauf.</translation>
    </message>
    <message>
        <source>true σ</source>
        <translation>wahres σ</translation>
    </message>
    <message>
        <source>shuffled σ</source>
        <translation>vertauschtes σ</translation>
    </message>
    <message>
        <source>σ = 0</source>
        <translation>σ = 0</translation>
    </message>
    <message>
        <source>L_denoise</source>
        <translation>L_denoise</translation>
    </message>
    <message>
        <source>L_rec</source>
        <translation>L_rec</translation>
    </message>
    <message>
        <source>σ (noise level of every view)</source>
        <translation>σ (Rauschpegel jeder Ansicht)</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>Bild</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>Head</source>
        <translation>Kopf</translation>
    </message>
    <message>
        <source>class token / mean query</source>
        <translation>Klassentoken / mittlere Anfrage</translation>
    </message>
    <message>
        <source>rollout (all layers)</source>
        <translation>Rollout (alle Schichten)</translation>
    </message>
    <message>
        <source>mean of heads</source>
        <translation>Mittel der Köpfe</translation>
    </message>
    <message>
        <source>head %1</source>
        <translation>Kopf %1</translation>
    </message>
    <message>
        <source>layer %1</source>
        <translation>Schicht %1</translation>
    </message>
    <message>
        <source>σ sweep, B − A (true σ embedding): below 0 B denoises or reconstructs better</source>
        <translation>σ-Durchlauf, B − A (Einbettung des wahren σ): unter 0 entrauscht oder rekonstruiert B besser</translation>
    </message>
    <message>
        <source>A and B see the same images, masks and noise (A&apos;s σ_max and mask ratio). Reconstruction: the predicted masked patches pasted into the noisy visible ones; a norm_pix model predicts normalised patches, shown de-normalised with the true patch&apos;s mean and variance. Error: mean squared error of each masked patch against the clean view, white 0 to dark red the row&apos;s largest (A and B share the scale); grey: visible.</source>
        <translation>A und B sehen dieselben Bilder, Masken und dasselbe Rauschen (σ_max und Maskierungsrate von A). Rekonstruktion: die vorhergesagten maskierten Patches, eingesetzt in die verrauschten sichtbaren; ein norm_pix-Modell sagt normalisierte Patches vorher, gezeigt de-normalisiert mit Mittelwert und Varianz des wahren Patches. Fehler: mittlerer quadratischer Fehler jedes maskierten Patches gegenüber der sauberen Ansicht, von Weiß 0 bis Dunkelrot für den größten der Zeile (A und B teilen die Skala); grau: sichtbar.</translation>
    </message>
    <message>
        <source>the class token&apos;s row</source>
        <translation>die Zeile des Klassentokens</translation>
    </message>
    <message>
        <source>the mean of the patch tokens&apos; rows</source>
        <translation>das Mittel der Zeilen der Patch-Tokens</translation>
    </message>
    <message>
        <source>Attention rollout through all %1 layers (Abnar &amp; Zuidema 2020), %2</source>
        <translation>Aufmerksamkeits-Rollout durch alle %1 Schichten (Abnar &amp; Zuidema 2020), %2</translation>
    </message>
    <message>
        <source>Layer %1, %2: %3</source>
        <translation>Schicht %1, %2: %3</translation>
    </message>
    <message>
        <source>%1, over the visible patches (sums to 1; red = most attended). Dark patches were masked (mask ratio %2): the encoder never saw them. Each visible patch shows its share in percent. Above: view 1 of image %3, the input of these maps (without noise).</source>
        <translation>%1, über die sichtbaren Patches (Summe 1; rot = meiste Aufmerksamkeit). Dunkle Patches waren maskiert (Maskierungsrate %2): Der Encoder hat sie nie gesehen. Jeder sichtbare Patch zeigt seinen Anteil in Prozent. Oben: Ansicht 1 von Bild %3, die Eingabe dieser Karten (ohne Rauschen).</translation>
    </message>
    <message>
        <source>Choose a checkpoint B above and press Analyse: A and B then run on the same images, masks and noise.</source>
        <translation>Oben einen Checkpoint B wählen und „Analysieren“ drücken: A und B laufen dann auf denselben Bildern, Masken und demselben Rauschen.</translation>
    </message>
    <message>
        <source>A and B cannot be compared on the same images and noise: %1</source>
        <translation>A und B lassen sich nicht auf denselben Bildern und demselben Rauschen vergleichen: %1</translation>
    </message>
    <message>
        <source>A: %1
B: %2</source>
        <translation>A: %1
B: %2</translation>
    </message>
    <message>
        <source>Noisy, masked input</source>
        <translation>Verrauschte, maskierte Eingabe</translation>
    </message>
    <message>
        <source>Reconstruction A</source>
        <translation>Rekonstruktion A</translation>
    </message>
    <message>
        <source>Reconstruction B</source>
        <translation>Rekonstruktion B</translation>
    </message>
    <message>
        <source>Error A</source>
        <translation>Fehler A</translation>
    </message>
    <message>
        <source>Error B</source>
        <translation>Fehler B</translation>
    </message>
    <message>
        <source>Mean squared error over the %1 masked patches: %2</source>
        <translation>Mittlerer quadratischer Fehler über die %1 maskierten Patches: %2</translation>
    </message>
    <message>
        <source>No reconstructions: a model was trained without A.</source>
        <translation>Keine Rekonstruktionen: Ein Modell wurde ohne A trainiert.</translation>
    </message>
    <message>
        <source>L_denoise, B − A</source>
        <translation>L_denoise, B − A</translation>
    </message>
    <message>
        <source>B − A</source>
        <translation>B − A</translation>
    </message>
    <message>
        <source>L_rec, B − A</source>
        <translation>L_rec, B − A</translation>
    </message>
    <message>
        <source>σ</source>
        <translation>σ</translation>
    </message>
    <message>
        <source>The curves coincide (largest relative difference %1): the decoder ignores its noise level.</source>
        <translation>Die Kurven fallen zusammen (größte relative Abweichung %1): Der Decoder ignoriert seinen Rauschpegel.</translation>
    </message>
    <message>
        <source>A wrong noise level changes the denoising error by up to %1 (sigma = 0: %2): the decoder uses its noise level.</source>
        <translation>Ein falscher Rauschpegel ändert den Entrauschungsfehler um bis zu %1 (σ = 0: %2): Der Decoder nutzt seinen Rauschpegel.</translation>
    </message>
</context>
<context>
    <name>ComparePlot</name>
    <message>
        <source>Total loss</source>
        <translation>Gesamtverlust</translation>
    </message>
    <message>
        <source>L_InfoNCE (C)</source>
        <translation>L_InfoNCE (C)</translation>
    </message>
    <message>
        <source>L_rec (A)</source>
        <translation>L_rec (A)</translation>
    </message>
    <message>
        <source>L_denoise (N)</source>
        <translation>L_denoise (N)</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>Epoche</translation>
    </message>
    <message>
        <source>images seen</source>
        <translation>gesehene Bilder</translation>
    </message>
    <message>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Cannot write the image %1</source>
        <translation>Das Bild %1 kann nicht geschrieben werden</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <source>Compare runs</source>
        <translation>Läufe vergleichen</translation>
    </message>
    <message>
        <source>Align by</source>
        <translation>Ausrichten nach</translation>
    </message>
    <message>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>Epoche</translation>
    </message>
    <message>
        <source>images seen</source>
        <translation>gesehene Bilder</translation>
    </message>
    <message>
        <source>Smoothing</source>
        <translation>Glättung</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>PNG exportieren…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV exportieren…</translation>
    </message>
    <message>
        <source>Settings that differ</source>
        <translation>Abweichende Einstellungen</translation>
    </message>
    <message>
        <source>%1: cannot read its metrics: %2</source>
        <translation>%1: Metriken nicht lesbar: %2</translation>
    </message>
    <message>
        <source>%1: no metrics yet</source>
        <translation>%1: noch keine Metriken</translation>
    </message>
    <message>
        <source>error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>(absent)</source>
        <translation>(fehlt)</translation>
    </message>
    <message>
        <source>Export the overlay as PNG</source>
        <translation>Überlagerung als PNG exportieren</translation>
    </message>
    <message>
        <source>PNG images (*.png);;All files (*)</source>
        <translation>PNG-Bilder (*.png);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Export PNG</source>
        <translation>PNG exportieren</translation>
    </message>
    <message>
        <source>Export the overlay as CSV</source>
        <translation>Überlagerung als CSV exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV-Dateien (*.csv);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>CSV exportieren</translation>
    </message>
</context>
<context>
    <name>ConfusionMatrixView</name>
    <message>
        <source>No evaluation yet</source>
        <translation>Noch keine Auswertung</translation>
    </message>
    <message>
        <source>predicted class →</source>
        <translation>vorhergesagte Klasse →</translation>
    </message>
</context>
<context>
    <name>CurvesPanel</name>
    <message>
        <source>%1 (raw)</source>
        <translation>%1 (roh)</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <source>Images/s</source>
        <translation>Bilder/s</translation>
    </message>
    <message>
        <source>Contrastive top-1</source>
        <translation>Kontrastiv top-1</translation>
    </message>
    <message>
        <source>kNN top-1</source>
        <translation>kNN top-1</translation>
    </message>
    <message>
        <source>Loss (log)</source>
        <translation>Verlust (log)</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <source>Top-1</source>
        <translation>Top-1</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Epoch</source>
        <translation>Epoche</translation>
    </message>
    <message>
        <source>&amp;Smoothing</source>
        <translation>&amp;Glättung</translation>
    </message>
    <message>
        <source>Weight of the debiased exponential moving average drawn as the solid line (0 = raw values).</source>
        <translation>Gewicht des bias-korrigierten exponentiellen gleitenden Mittels, das als durchgezogene Linie gezeichnet wird (0 = Rohwerte).</translation>
    </message>
    <message>
        <source>&amp;Log scale</source>
        <translation>&amp;Log-Skala</translation>
    </message>
    <message>
        <source>Logarithmic loss axis</source>
        <translation>Logarithmische Verlustachse</translation>
    </message>
    <message>
        <source>&amp;X axis</source>
        <translation>&amp;X-Achse</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Schritte</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>Epochen</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV exportieren…</translation>
    </message>
    <message>
        <source>Save every received point as a CSV file</source>
        <translation>Alle empfangenen Punkte als CSV-Datei speichern</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>PNG exportieren…</translation>
    </message>
    <message>
        <source>Save the plot as a PNG image</source>
        <translation>Diagramm als PNG-Bild speichern</translation>
    </message>
    <message>
        <source>Hover over the plot to read every curve at a step. Drag or wheel to pan and zoom in x; double-click to follow the run again.</source>
        <translation>Mit der Maus über das Diagramm fahren, um alle Kurven bei einem Schritt abzulesen. Ziehen bzw. Mausrad verschiebt und zoomt in x; Doppelklick folgt wieder dem laufenden Training.</translation>
    </message>
    <message>
        <source>%1 %2 (smoothed %3)</source>
        <translation>%1 %2 (geglättet %3)</translation>
    </message>
    <message>
        <source>lr %1</source>
        <translation>lr %1</translation>
    </message>
    <message>
        <source>%1 img/s</source>
        <translation>%1 img/s</translation>
    </message>
    <message>
        <source>grad norm %1</source>
        <translation>Gradientennorm %1</translation>
    </message>
    <message>
        <source>contrastive top-1 %1</source>
        <translation>kontrastiv top-1 %1</translation>
    </message>
    <message>
        <source>kNN top-1 %1</source>
        <translation>kNN top-1 %1</translation>
    </message>
    <message>
        <source>step %1   epoch %2</source>
        <translation>Schritt %1   Epoche %2</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Cannot write the image %1</source>
        <translation>Das Bild %1 kann nicht geschrieben werden</translation>
    </message>
    <message>
        <source>Export loss curves as CSV</source>
        <translation>Verlustkurven als CSV exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV-Dateien (*.csv);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>CSV exportieren</translation>
    </message>
    <message>
        <source>Export loss curves as PNG</source>
        <translation>Verlustkurven als PNG exportieren</translation>
    </message>
    <message>
        <source>PNG images (*.png);;All files (*)</source>
        <translation>PNG-Bilder (*.png);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Export PNG</source>
        <translation>PNG exportieren</translation>
    </message>
    <message>
        <source>Total (weighted)</source>
        <translation>Gesamt (gewichtet)</translation>
    </message>
    <message>
        <source>InfoNCE</source>
        <translation>InfoNCE</translation>
    </message>
    <message>
        <source>Reconstruction</source>
        <translation>Rekonstruktion</translation>
    </message>
    <message>
        <source>Denoising</source>
        <translation>Entrauschung</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <source>Legend top right</source>
        <translation>Legende oben rechts</translation>
    </message>
    <message>
        <source>Legend top left</source>
        <translation>Legende oben links</translation>
    </message>
    <message>
        <source>Legend bottom right</source>
        <translation>Legende unten rechts</translation>
    </message>
    <message>
        <source>Legend bottom left</source>
        <translation>Legende unten links</translation>
    </message>
    <message>
        <source>Hide legend</source>
        <translation>Legende ausblenden</translation>
    </message>
    <message>
        <source>‖∇C‖</source>
        <translation>‖∇C‖</translation>
    </message>
    <message>
        <source>‖∇A‖</source>
        <translation>‖∇A‖</translation>
    </message>
    <message>
        <source>‖∇N‖</source>
        <translation>‖∇N‖</translation>
    </message>
    <message>
        <source>cos(C, A)</source>
        <translation>cos(C, A)</translation>
    </message>
    <message>
        <source>cos(C, N)</source>
        <translation>cos(C, N)</translation>
    </message>
    <message>
        <source>cos(A, N)</source>
        <translation>cos(A, N)</translation>
    </message>
    <message>
        <source>‖∇‖</source>
        <translation>‖∇‖</translation>
    </message>
    <message>
        <source>cos</source>
        <translation>cos</translation>
    </message>
    <message>
        <source>Objective balance: not measured yet (every train.balance_every steps)</source>
        <translation>Balance der Ziele: noch nicht gemessen (alle train.balance_every Schritte)</translation>
    </message>
    <message>
        <source>Objective balance (bottom plot): ‖∇C‖ is the norm of the gradient of λ_C·L_InfoNCE with respect to the encoder&apos;s parameters, ‖∇A‖ and ‖∇N‖ likewise for reconstruction and denoising; cos(C, A) is the cosine between two of these gradients. A cosine below 0 means the two objectives pull the encoder in opposing directions.</source>
        <translation>Balance der Ziele (unteres Diagramm): ‖∇C‖ ist die Norm des Gradienten von λ_C·L_InfoNCE nach den Parametern des Encoders, ‖∇A‖ und ‖∇N‖ ebenso für Rekonstruktion und Entrauschung; cos(C, A) ist der Kosinus zwischen zwei dieser Gradienten. Ein Kosinus unter 0 bedeutet, dass die beiden Ziele den Encoder in entgegengesetzte Richtungen ziehen.</translation>
    </message>
    <message>
        <source>objective balance at step %1:   %2</source>
        <translation>Balance der Ziele bei Schritt %1:   %2</translation>
    </message>
    <message>
        <source>resources at step %1: %2</source>
        <translation>Ressourcen bei Schritt %1: %2</translation>
    </message>
    <message>
        <source>CPU %1%</source>
        <translation>CPU %1%</translation>
    </message>
    <message>
        <source>resident %1 MiB</source>
        <translation>resident %1 MiB</translation>
    </message>
    <message>
        <source>GPU %1 MiB (reserved %2)</source>
        <translation>GPU %1 MiB (reserviert %2)</translation>
    </message>
    <message>
        <source>CPU %</source>
        <translation>CPU %</translation>
    </message>
    <message>
        <source>Resident MiB</source>
        <translation>Resident MiB</translation>
    </message>
    <message>
        <source>GPU MiB</source>
        <translation>GPU MiB</translation>
    </message>
    <message>
        <source>MiB</source>
        <translation>MiB</translation>
    </message>
    <message>
        <source>Spread (std·√r)</source>
        <translation>Streuung (std·√r)</translation>
    </message>
    <message>
        <source>C share</source>
        <translation>Anteil C</translation>
    </message>
    <message>
        <source>A share</source>
        <translation>Anteil A</translation>
    </message>
    <message>
        <source>N share</source>
        <translation>Anteil N</translation>
    </message>
    <message>
        <source>Objective balance as share of the update</source>
        <translation>Zielbalance als Anteil am Update</translation>
    </message>
    <message>
        <source>Each objective&apos;s part of the encoder&apos;s update direction, ⟨g_k, g⟩ / ‖g‖², stacked; the parts sum to 1</source>
        <translation>Anteil jedes Ziels an der Update-Richtung des Encoders, ⟨g_k, g⟩ / ‖g‖², gestapelt; die Anteile summieren sich zu 1</translation>
    </message>
    <message>
        <source>share</source>
        <translation>Anteil</translation>
    </message>
    <message>
        <source>Show learning rate and images/s</source>
        <translation>Lernrate und Bilder/s zeigen</translation>
    </message>
    <message>
        <source>Show resources (CPU, memory)</source>
        <translation>Ressourcen zeigen (CPU, Speicher)</translation>
    </message>
</context>
<context>
    <name>DatasetBrowser</name>
    <message>
        <source>No image or class matches “%1”</source>
        <translation>Kein Bild und keine Klasse passt zu „%1“</translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) shown</source>
        <translation>
            <numerusform>%n Bild angezeigt</numerusform>
            <numerusform>%n Bilder angezeigt</numerusform>
        </translation>
    </message>
    <message>
        <source>%1; image %2 (%3)</source>
        <translation>%1; Bild %2 (%3)</translation>
    </message>
    <message>
        <source>Index or class name, Enter</source>
        <translation>Index oder Klassenname, Enter</translation>
    </message>
    <message>
        <source>An image index selects that image; a class name shows that class</source>
        <translation>Ein Bildindex wählt dieses Bild; ein Klassenname zeigt diese Klasse</translation>
    </message>
</context>
<context>
    <name>DatasetThumbnails</name>
    <message>
        <source>Image %1: %2</source>
        <translation>Bild %1: %2</translation>
    </message>
</context>
<context>
    <name>DenoisingPanel</name>
    <message>
        <source>The noise objective (N) is off in this run: no noise is added, so there is nothing to denoise.</source>
        <translation>Das Rauschziel (N) ist in diesem Lauf deaktiviert: Es wird kein Rauschen hinzugefügt, daher gibt es nichts zu entrauschen.</translation>
    </message>
    <message>
        <source>sample %1, view %2</source>
        <translation>Beispiel %1, Ansicht %2</translation>
    </message>
    <message>
        <source>sample %1</source>
        <translation>Beispiel %1</translation>
    </message>
    <message>
        <source>scale ±%1</source>
        <translation>Skala ±%1</translation>
    </message>
    <message>
        <source>error %1</source>
        <translation>Fehler %1</translation>
    </message>
    <message>
        <source>true noise</source>
        <translation>echtes Rauschen</translation>
    </message>
    <message>
        <source>predicted noise</source>
        <translation>vorhergesagtes Rauschen</translation>
    </message>
    <message>
        <source>denoised</source>
        <translation>entrauscht</translation>
    </message>
    <message>
        <source>True and predicted noise share one colour scale per row, set by the true noise (its largest value is full colour; a prediction beyond it saturates). Grey: masked patches, where the decoder predicts pixels, not noise.</source>
        <translation>Echtes und vorhergesagtes Rauschen teilen sich pro Zeile eine Farbskala, die das echte Rauschen festlegt (sein größter Wert ist volle Farbe; eine Vorhersage darüber hinaus ist gesättigt). Grau: maskierte Patches, für die der Decoder Pixel statt Rauschen vorhersagt.</translation>
    </message>
</context>
<context>
    <name>EvalTask</name>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
</context>
<context>
    <name>EvalView</name>
    <message>
        <source>Choose a run or checkpoint folder</source>
        <translation>Lauf- oder Checkpoint-Ordner wählen</translation>
    </message>
    <message>
        <source>Evaluate a checkpoint</source>
        <translation>Checkpoint auswerten</translation>
    </message>
    <message>
        <source>Checkpoint</source>
        <translation>Checkpoint</translation>
    </message>
    <message>
        <source>a run folder, a checkpoint folder or an exported .safetensors</source>
        <translation>ein Lauf- oder Checkpoint-Ordner oder ein exportiertes .safetensors</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>kNN</source>
        <translation>kNN</translation>
    </message>
    <message>
        <source>Linear probe</source>
        <translation>Lineare Probe</translation>
    </message>
    <message>
        <source>Train images</source>
        <translation>Trainingsbilder</translation>
    </message>
    <message>
        <source>Test images</source>
        <translation>Testbilder</translation>
    </message>
    <message>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <source>Probe epochs</source>
        <translation>Probe-Epochen</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>Auswerten</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Top-1 per class</source>
        <translation>Top-1 je Klasse</translation>
    </message>
    <message>
        <source>Confusion matrix (rows: true class)</source>
        <translation>Konfusionsmatrix (Zeilen: wahre Klasse)</translation>
    </message>
    <message>
        <source>Recorded in %1</source>
        <translation>Gespeichert in %1</translation>
    </message>
    <message>
        <source>Choose a checkpoint first</source>
        <translation>Zuerst einen Checkpoint wählen</translation>
    </message>
    <message>
        <source>Choose kNN or the linear probe</source>
        <translation>kNN oder die lineare Probe wählen</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Lädt…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <source>Features of the train split</source>
        <translation>Merkmale der Trainingsdaten</translation>
    </message>
    <message>
        <source>Features of the test split</source>
        <translation>Merkmale der Testdaten</translation>
    </message>
    <message>
        <source>Linear probe (epochs)</source>
        <translation>Lineare Probe (Epochen)</translation>
    </message>
    <message>
        <source>%1: %2 of %3</source>
        <translation>%1: %2 von %3</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Done; recorded in %1</source>
        <translation>Fertig; gespeichert in %1</translation>
    </message>
    <message>
        <source>Cancelled: nothing was recorded</source>
        <translation>Abgebrochen: nichts gespeichert</translation>
    </message>
    <message>
        <source>kNN top-1 %1</source>
        <translation>kNN Top-1 %1</translation>
    </message>
    <message>
        <source>linear probe top-1 %1</source>
        <translation>lineare Probe Top-1 %1</translation>
    </message>
    <message>
        <source>step %1 · %2 · %3 train / %4 test images · %5 s</source>
        <translation>Schritt %1 · %2 · %3 Trainings- / %4 Testbilder · %5 s</translation>
    </message>
</context>
<context>
    <name>FileActions</name>
    <message>
        <source>Open checkpoint or run folder</source>
        <translation>Checkpoint oder Laufordner öffnen</translation>
    </message>
    <message>
        <source>Load preset</source>
        <translation>Voreinstellung laden</translation>
    </message>
    <message>
        <source>Run config (*.json)</source>
        <translation>Laufkonfiguration (*.json)</translation>
    </message>
    <message>
        <source>Loaded preset %1</source>
        <translation>Voreinstellung %1 geladen</translation>
    </message>
    <message>
        <source>Save preset</source>
        <translation>Voreinstellung speichern</translation>
    </message>
    <message>
        <source>Saved preset %1 (use it with can-train --config)</source>
        <translation>Voreinstellung %1 gespeichert (verwendbar mit can-train --config)</translation>
    </message>
    <message>
        <source>Export encoder</source>
        <translation>Encoder exportieren</translation>
    </message>
    <message>
        <source>safetensors (*.safetensors)</source>
        <translation>safetensors (*.safetensors)</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>Export fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Exported the encoder of step %1 to %2 (timm names, architecture in the .json next to it)</source>
        <translation>Encoder von Schritt %1 nach %2 exportiert (timm-Namen, Architektur in der .json-Datei daneben)</translation>
    </message>
</context>
<context>
    <name>HealthView</name>
    <message>
        <source>Effective rank (Roy &amp; Vetterli 2007): how many directions the batch of embeddings uses. Small against its maximum means dimensional collapse.</source>
        <translation>Effektiver Rang (Roy &amp; Vetterli 2007): wie viele Richtungen der Batch der Einbettungen nutzt. Klein gegenüber seinem Maximum bedeutet dimensionalen Kollaps.</translation>
    </message>
    <message>
        <source>Mean per-dimension std of the normalised embeddings against 1/√r, the std of unit vectors spread evenly over the sphere: a ratio near 1 is healthy, near 0 collapsed.</source>
        <translation>Mittlere Standardabweichung je Dimension der normalisierten Einbettungen gegenüber 1/√r, der Standardabweichung gleichmäßig über die Sphäre verteilter Einheitsvektoren: ein Verhältnis nahe 1 ist gesund, nahe 0 kollabiert.</translation>
    </message>
    <message>
        <source>Mean cosine of positive pairs (two views of one image: should be near 1) and of negative pairs (different images: near 0 or below).</source>
        <translation>Mittlerer Kosinus der positiven Paare (zwei Ansichten eines Bildes: sollte nahe 1 sein) und der negativen Paare (verschiedene Bilder: nahe 0 oder darunter).</translation>
    </message>
    <message>
        <source>Alignment (Wang &amp; Isola 2020): mean squared distance of the two views&apos; embeddings, in [0, 4]; lower is better aligned.</source>
        <translation>Ausrichtung (Wang &amp; Isola 2020): mittlerer quadratischer Abstand der Einbettungen der beiden Ansichten, in [0, 4]; niedriger ist besser ausgerichtet.</translation>
    </message>
    <message>
        <source>Uniformity (Wang &amp; Isola 2020): log of the mean Gaussian potential of all pairs, in [−4, 0]; lower is more uniform.</source>
        <translation>Gleichmäßigkeit (Wang &amp; Isola 2020): Logarithmus des mittleren Gauß-Potenzials aller Paare, in [−4, 0]; niedriger ist gleichmäßiger.</translation>
    </message>
    <message>
        <source>Effective rank: %1 of at most %2</source>
        <translation>Effektiver Rang: %1 von höchstens %2</translation>
    </message>
    <message>
        <source>Mean std: %1 (1/√r = %2, ratio %3)</source>
        <translation>Mittlere Std.: %1 (1/√r = %2, Verhältnis %3)</translation>
    </message>
    <message>
        <source>Mean cosine: positive %1, negative %2</source>
        <translation>Mittlerer Kosinus: positiv %1, negativ %2</translation>
    </message>
    <message>
        <source>Alignment: %1 (lower is better)</source>
        <translation>Ausrichtung: %1 (niedriger ist besser)</translation>
    </message>
    <message>
        <source>Uniformity: %1 (lower is more uniform)</source>
        <translation>Gleichmäßigkeit: %1 (niedriger ist gleichmäßiger)</translation>
    </message>
    <message>
        <source>Embeddings: mean-pooled encoder features (the model has no projector)</source>
        <translation>Einbettungen: gemittelte Encoder-Merkmale (das Modell hat keinen Projektor)</translation>
    </message>
    <message>
        <source>Embeddings: the projector&apos;s output u, both views</source>
        <translation>Einbettungen: Ausgabe u des Projektors, beide Ansichten</translation>
    </message>
    <message>
        <source>std per dimension</source>
        <translation>Std. je Dimension</translation>
    </message>
    <message>
        <source>1/√r</source>
        <translation>1/√r</translation>
    </message>
    <message>
        <source>dimension (sorted by std)</source>
        <translation>Dimension (nach Std. sortiert)</translation>
    </message>
    <message>
        <source>std over the batch</source>
        <translation>Std. über den Batch</translation>
    </message>
    <message>
        <source>positive pairs</source>
        <translation>positive Paare</translation>
    </message>
    <message>
        <source>negative pairs</source>
        <translation>negative Paare</translation>
    </message>
    <message>
        <source>cosine similarity</source>
        <translation>Kosinus-Ähnlichkeit</translation>
    </message>
    <message>
        <source>fraction of pairs</source>
        <translation>Anteil der Paare</translation>
    </message>
</context>
<context>
    <name>ImageGrid</name>
    <message>
        <source>The images of the run appear here at its first snapshot. Press Start, or open a checkpoint.</source>
        <translation>Die Bilder des Laufs erscheinen hier beim ersten Schnappschuss. Klicken Sie auf „Starten“ oder öffnen Sie einen Checkpoint.</translation>
    </message>
</context>
<context>
    <name>InspectorEngine</name>
    <message>
        <source>No checkpoint is open</source>
        <translation>Kein Checkpoint geöffnet</translation>
    </message>
    <message>
        <source>Image %1 is not in the dataset</source>
        <translation>Bild %1 ist nicht im Datensatz</translation>
    </message>
    <message>
        <source>No live weights came</source>
        <translation>Keine Live-Gewichte erhalten</translation>
    </message>
</context>
<context>
    <name>InspectorView</name>
    <message>
        <source>The current run has no checkpoint yet</source>
        <translation>Der aktuelle Lauf hat noch keinen Checkpoint</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>%1 wird geladen…</translation>
    </message>
    <message>
        <source>Choose a run or checkpoint folder</source>
        <translation>Lauf- oder Checkpoint-Ordner wählen</translation>
    </message>
    <message>
        <source>%1 of %2 patches masked</source>
        <translation>%1 von %2 Patches maskiert</translation>
    </message>
    <message>
        <source>(not trained)</source>
        <translation>(nicht trainiert)</translation>
    </message>
    <message>
        <source>masked, noisy</source>
        <translation>maskiert, verrauscht</translation>
    </message>
    <message>
        <source>masked patches predicted</source>
        <translation>maskierte Patches vorhergesagt</translation>
    </message>
    <message>
        <source>max %1</source>
        <translation>max. %1</translation>
    </message>
    <message>
        <source>σe, scale %1</source>
        <translation>σe, Skala %1</translation>
    </message>
    <message>
        <source>visible patches</source>
        <translation>sichtbare Patches</translation>
    </message>
    <message>
        <source>input</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>prediction</source>
        <translation>Vorhersage</translation>
    </message>
    <message>
        <source>error per patch</source>
        <translation>Fehler je Patch</translation>
    </message>
    <message>
        <source>reconstruction (A)</source>
        <translation>Rekonstruktion (A)</translation>
    </message>
    <message>
        <source>denoising (N)</source>
        <translation>Entrauschung (N)</translation>
    </message>
    <message>
        <source>Nearest training images: computing the features of the first %1…</source>
        <translation>Nächste Trainingsbilder: Merkmale der ersten %1 werden berechnet…</translation>
    </message>
    <message>
        <source>Nearest training images (cosine of mean-pooled encoder features)</source>
        <translation>Nächste Trainingsbilder (Kosinus der gemittelten Encoder-Merkmale)</translation>
    </message>
    <message>
        <source>Checkpoint of step %1. Last change shown in %2 ms (the model&apos;s part %3 ms).</source>
        <translation>Checkpoint von Schritt %1. Letzte Änderung in %2 ms angezeigt (davon Modell %3 ms).</translation>
    </message>
    <message>
        <source>Image %1, σ = %2, %3 masked: L_rec = %4, L_denoise = %5</source>
        <translation>Bild %1, σ = %2, %3 maskiert: L_rec = %4, L_denoise = %5</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>n. v.</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>Inspektor</translation>
    </message>
    <message>
        <source>Weights:</source>
        <translation>Gewichte:</translation>
    </message>
    <message>
        <source>Checkpoint…</source>
        <translation>Checkpoint…</translation>
    </message>
    <message>
        <source>Latest of current run</source>
        <translation>Neuester des Laufs</translation>
    </message>
    <message>
        <source>The newest checkpoint the current run has written</source>
        <translation>Der neueste Checkpoint, den der aktuelle Lauf geschrieben hat</translation>
    </message>
    <message>
        <source>Mask ratio</source>
        <translation>Maskierungsrate</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Seed</translation>
    </message>
    <message>
        <source>Random mask</source>
        <translation>Zufallsmaske</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>σ</source>
        <translation>σ</translation>
    </message>
    <message>
        <source>Noise level, 0 to twice the checkpoint&apos;s σ_max</source>
        <translation>Rauschpegel, 0 bis zum Doppelten von σ_max des Checkpoints</translation>
    </message>
    <message>
        <source>Noise seed</source>
        <translation>Rausch-Seed</translation>
    </message>
    <message>
        <source>Click or drag to mask and unmask patches</source>
        <translation>Klicken oder ziehen, um Patches zu maskieren und freizugeben</translation>
    </message>
    <message>
        <source>norm_pix: the decoder predicts each patch normalised; the reconstruction is shown with the true patch&apos;s mean and variance (as MAE shows it).</source>
        <translation>norm_pix: Der Decoder sagt jeden Patch normalisiert vorher; die Rekonstruktion wird mit Mittelwert und Varianz des wahren Patches gezeigt (wie MAE sie zeigt).</translation>
    </message>
    <message>
        <source>Choose a checkpoint</source>
        <translation>Checkpoint wählen</translation>
    </message>
    <message>
        <source>No run is training</source>
        <translation>Kein Lauf trainiert</translation>
    </message>
    <message>
        <source>Asking the run for its weights…</source>
        <translation>Gewichte des Laufs werden angefordert…</translation>
    </message>
    <message>
        <source>Live weights of step %1</source>
        <translation>Live-Gewichte von Schritt %1</translation>
    </message>
    <message>
        <source>Loading the live weights of step %1…</source>
        <translation>Live-Gewichte von Schritt %1 werden geladen…</translation>
    </message>
    <message>
        <source>Live weights of step %1. Last change shown in %2 ms (the model&apos;s part %3 ms).</source>
        <translation>Live-Gewichte von Schritt %1. Letzte Änderung in %2 ms angezeigt (davon Modell %3 ms).</translation>
    </message>
    <message>
        <source>Live weights</source>
        <translation>Live-Gewichte</translation>
    </message>
    <message>
        <source>A copy of the training model taken between two steps, the run going on (a fresh copy each press)</source>
        <translation>Eine Kopie des trainierenden Modells, zwischen zwei Schritten genommen; der Lauf geht weiter (bei jedem Klick eine neue Kopie)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Checkpoint saved: %1</source>
        <translation>Checkpoint gespeichert: %1</translation>
    </message>
    <message>
        <source>The translation for %1 is missing.</source>
        <translation>Die Übersetzung für %1 fehlt.</translation>
    </message>
    <message>
        <source>CAN Studio</source>
        <translation>CAN Studio</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausieren</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stoppen</translation>
    </message>
    <message>
        <source>Save checkpoint</source>
        <translation>Checkpoint speichern</translation>
    </message>
    <message>
        <source>Open checkpoint…</source>
        <translation>Checkpoint öffnen…</translation>
    </message>
    <message>
        <source>Export encoder…</source>
        <translation>Encoder exportieren…</translation>
    </message>
    <message>
        <source>Load preset…</source>
        <translation>Voreinstellung laden…</translation>
    </message>
    <message>
        <source>Save preset…</source>
        <translation>Voreinstellung speichern…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>Reset layout</source>
        <translation>Layout zurücksetzen</translation>
    </message>
    <message>
        <source>Stop after the current step and save a checkpoint</source>
        <translation>Nach dem aktuellen Schritt anhalten und einen Checkpoint speichern</translation>
    </message>
    <message>
        <source>Export the encoder of the last checkpoint as safetensors with timm names</source>
        <translation>Encoder des letzten Checkpoints als safetensors mit timm-Namen exportieren</translation>
    </message>
    <message>
        <source>Run setup</source>
        <translation>Laufkonfiguration</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Ansichten</translation>
    </message>
    <message>
        <source>Masks</source>
        <translation>Masken</translation>
    </message>
    <message>
        <source>Noise</source>
        <translation>Rauschen</translation>
    </message>
    <message>
        <source>Reconstruction</source>
        <translation>Rekonstruktion</translation>
    </message>
    <message>
        <source>Denoising</source>
        <translation>Entrauschung</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Lauf</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>Run controls</source>
        <translation>Laufsteuerung</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Pausiert</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Wird gestoppt…</translation>
    </message>
    <message>
        <source>step %1 / %2 · epoch %3</source>
        <translation>Schritt %1 / %2 · Epoche %3</translation>
    </message>
    <message>
        <source>ETA %1</source>
        <translation>Restzeit %1</translation>
    </message>
    <message>
        <source>%1 img/s</source>
        <translation>%1 img/s</translation>
    </message>
    <message>
        <source>device: %1</source>
        <translation>Gerät: %1</translation>
    </message>
    <message>
        <source>no checkpoint yet</source>
        <translation>noch kein Checkpoint</translation>
    </message>
    <message>
        <source>Skipped unusable file %1</source>
        <translation>Unbrauchbare Datei übersprungen: %1</translation>
    </message>
    <message>
        <source>More unusable files: they are counted in the status bar and listed in skipped_files.txt in the run folder.</source>
        <translation>Weitere unbrauchbare Dateien: Die Statusleiste zählt sie, skipped_files.txt im Lauf-Ordner listet sie auf.</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) skipped</source>
        <translation>
            <numerusform>%n Datei übersprungen</numerusform>
            <numerusform>%n Dateien übersprungen</numerusform>
        </translation>
    </message>
    <message>
        <source>Training files that could not be read; the Log names each one.</source>
        <translation>Trainingsdateien, die nicht gelesen werden konnten; das Protokoll nennt jede einzelne.</translation>
    </message>
    <message>
        <source>checkpoint %1</source>
        <translation>Checkpoint %1</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
    <message>
        <source>The run setup has an invalid value: %1</source>
        <translation>Die Laufkonfiguration enthält einen ungültigen Wert: %1</translation>
    </message>
    <message>
        <source>Starting run in %1</source>
        <translation>Lauf wird in %1 gestartet</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>beendet</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>gestoppt</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>Run %1 at step %2</source>
        <translation>Lauf bei Schritt %2 %1</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>%1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>Opened %1: Start continues this run; Export writes its encoder.</source>
        <translation>%1 geöffnet: „Starten“ setzt diesen Lauf fort; „Encoder exportieren“ schreibt seinen Encoder.</translation>
    </message>
    <message>
        <source>Training is running</source>
        <translation>Training läuft</translation>
    </message>
    <message>
        <source>Stop the run, save a checkpoint and quit?</source>
        <translation>Lauf stoppen, Checkpoint speichern und beenden?</translation>
    </message>
    <message>
        <source>Stopping: the window closes once the checkpoint is saved.</source>
        <translation>Wird gestoppt: Das Fenster schließt sich, sobald der Checkpoint gespeichert ist.</translation>
    </message>
    <message>
        <source>%1 — CAN Studio</source>
        <translation>%1 — CAN Studio</translation>
    </message>
    <message>
        <source>%1 at step %2 (Start continues it) — CAN Studio</source>
        <translation>%1 bei Schritt %2 („Starten“ setzt ihn fort) — CAN Studio</translation>
    </message>
    <message>
        <source>New run — CAN Studio</source>
        <translation>Neuer Lauf — CAN Studio</translation>
    </message>
    <message>
        <source>Select the runs to compare in the Runs list</source>
        <translation>Die zu vergleichenden Läufe in der Liste „Läufe“ auswählen</translation>
    </message>
    <message>
        <source>Stop the current run before opening another</source>
        <translation>Den laufenden Lauf zuerst stoppen</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <source>Compare selected runs</source>
        <translation>Ausgewählte Läufe vergleichen</translation>
    </message>
    <message>
        <source>Evaluate checkpoint…</source>
        <translation>Checkpoint auswerten…</translation>
    </message>
    <message>
        <source>Sweep settings…</source>
        <translation>Einstellungen durchmustern…</translation>
    </message>
    <message>
        <source>E&amp;xperiments</source>
        <translation>E&amp;xperimente</translation>
    </message>
    <message>
        <source>Sweep started in %1</source>
        <translation>Sweep gestartet in %1</translation>
    </message>
    <message>
        <source>Sweep finished: %1</source>
        <translation>Sweep fertig: %1</translation>
    </message>
    <message>
        <source>Sweep ended (code %1): %2</source>
        <translation>Sweep beendet (Code %1): %2</translation>
    </message>
    <message>
        <source>Snapshot history</source>
        <translation>Snapshot-Verlauf</translation>
    </message>
    <message>
        <source>Inspector…</source>
        <translation>Inspektor…</translation>
    </message>
    <message>
        <source>Bench…</source>
        <translation>Werkbank…</translation>
    </message>
</context>
<context>
    <name>MasksPanel</name>
    <message>
        <source>mask ratio %1</source>
        <translation>Maskierungsrate %1</translation>
    </message>
    <message>
        <source>view %1</source>
        <translation>Ansicht %1</translation>
    </message>
    <message>
        <source>sample %1</source>
        <translation>Beispiel %1</translation>
    </message>
    <message>
        <source>%1 of %2 patches masked</source>
        <translation>%1 von %2 Patches maskiert</translation>
    </message>
</context>
<context>
    <name>NoisePanel</name>
    <message numerus="yes">
        <source>σ of the %n view(s) in the batch, drawn uniformly from [0, σ_max]</source>
        <translation>
            <numerusform>σ der %n Ansicht im Batch, gleichverteilt aus [0, σ_max] gezogen</numerusform>
            <numerusform>σ der %n Ansichten im Batch, gleichverteilt aus [0, σ_max] gezogen</numerusform>
        </translation>
    </message>
    <message>
        <source>No noise is added in this run (σ_max = 0).</source>
        <translation>In diesem Lauf wird kein Rauschen hinzugefügt (σ_max = 0).</translation>
    </message>
    <message>
        <source>noisy view %1</source>
        <translation>verrauschte Ansicht %1</translation>
    </message>
    <message>
        <source>sample %1</source>
        <translation>Beispiel %1</translation>
    </message>
</context>
<context>
    <name>ReconstructionPanel</name>
    <message>
        <source>This mode has no decoder (SimCLR): there is nothing to reconstruct.</source>
        <translation>Dieser Modus hat keinen Decoder (SimCLR): Es gibt nichts zu rekonstruieren.</translation>
    </message>
    <message>
        <source>norm_pix is on: the decoder predicts each patch normalised to zero mean and unit variance; predictions are shown mapped back with each target patch&apos;s own mean and variance.</source>
        <translation>norm_pix ist aktiv: Der Decoder sagt jeden Patch auf Mittelwert 0 und Varianz 1 normiert vorher; die Vorhersagen werden mit Mittelwert und Varianz des jeweiligen Ziel-Patches zurückgerechnet angezeigt.</translation>
    </message>
    <message>
        <source>sample %1, view %2</source>
        <translation>Beispiel %1, Ansicht %2</translation>
    </message>
    <message>
        <source>sample %1</source>
        <translation>Beispiel %1</translation>
    </message>
    <message>
        <source>masked view</source>
        <translation>maskierte Ansicht</translation>
    </message>
    <message>
        <source>reconstruction</source>
        <translation>Rekonstruktion</translation>
    </message>
    <message>
        <source>target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>The reconstruction objective (A) is off in this run: the decoder predicts noise only, so there is nothing to reconstruct.</source>
        <translation>Das Rekonstruktionsziel (A) ist in diesem Lauf deaktiviert: Der Decoder sagt nur Rauschen vorher, daher gibt es nichts zu rekonstruieren.</translation>
    </message>
</context>
<context>
    <name>RunSetupPanel</name>
    <message>
        <source>Image folder</source>
        <translation>Bildordner</translation>
    </message>
    <message>
        <source>Dataset folder</source>
        <translation>Datensatzordner</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>Datensatz</translation>
    </message>
    <message>
        <source>Data path</source>
        <translation>Datenpfad</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Modus</translation>
    </message>
    <message>
        <source>Contrastive (C)</source>
        <translation>Kontrastiv (C)</translation>
    </message>
    <message>
        <source>Reconstruction (A)</source>
        <translation>Rekonstruktion (A)</translation>
    </message>
    <message>
        <source>Denoising (N)</source>
        <translation>Entrauschung (N)</translation>
    </message>
    <message>
        <source>Model preset</source>
        <translation>Modellvorgabe</translation>
    </message>
    <message>
        <source>Patch size</source>
        <translation>Patch-Größe</translation>
    </message>
    <message>
        <source>Mask ratio m</source>
        <translation>Maskierungsrate m</translation>
    </message>
    <message>
        <source>Noise σ_max</source>
        <translation>Rauschen σ_max</translation>
    </message>
    <message>
        <source>Temperature τ</source>
        <translation>Temperatur τ</translation>
    </message>
    <message>
        <source>Weight λ_C (InfoNCE)</source>
        <translation>Gewicht λ_C (InfoNCE)</translation>
    </message>
    <message>
        <source>Weight λ_A (reconstruction)</source>
        <translation>Gewicht λ_A (Rekonstruktion)</translation>
    </message>
    <message>
        <source>Weight λ_N (denoising)</source>
        <translation>Gewicht λ_N (Entrauschung)</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>Batch-Größe</translation>
    </message>
    <message>
        <source>Base learning rate</source>
        <translation>Basis-Lernrate</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>Epochen</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Seed</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>Can be changed while training: press Enter to apply it at the next step.</source>
        <translation>Während des Trainings änderbar: Eingabetaste drücken, um den Wert ab dem nächsten Schritt zu verwenden.</translation>
    </message>
    <message>
        <source>Config key: %1</source>
        <translation>Konfigurationsschlüssel: %1</translation>
    </message>
    <message>
        <source>Fashion-MNIST</source>
        <translation>Fashion-MNIST</translation>
    </message>
    <message>
        <source>MNIST</source>
        <translation>MNIST</translation>
    </message>
    <message>
        <source>CIFAR-10</source>
        <translation>CIFAR-10</translation>
    </message>
    <message>
        <source>CIFAR-100</source>
        <translation>CIFAR-100</translation>
    </message>
    <message>
        <source>CAN (C + A + N)</source>
        <translation>CAN (C + A + N)</translation>
    </message>
    <message>
        <source>MAE (A only, m = 0.75)</source>
        <translation>MAE (nur A, m = 0.75)</translation>
    </message>
    <message>
        <source>SimCLR (C only, no masking)</source>
        <translation>SimCLR (nur C, ohne Maskierung)</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Benutzerdefiniert</translation>
    </message>
    <message>
        <source>auto (CUDA when present)</source>
        <translation>auto (CUDA, falls verfügbar)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Load preset…</source>
        <translation>Voreinstellung laden…</translation>
    </message>
    <message>
        <source>Save preset…</source>
        <translation>Voreinstellung speichern…</translation>
    </message>
    <message>
        <source>(packaged)</source>
        <translation>(mitgeliefert)</translation>
    </message>
    <message>
        <source>Range: %1</source>
        <translation>Bereich: %1</translation>
    </message>
    <message>
        <source>Range: %1 (%2)</source>
        <translation>Bereich: %1 (%2)</translation>
    </message>
    <message>
        <source>Augmentation</source>
        <translation>Augmentierung</translation>
    </message>
    <message>
        <source>SimCLR (crop, colour, blur)</source>
        <translation>SimCLR (Ausschnitt, Farbe, Unschärfe)</translation>
    </message>
    <message>
        <source>MAE (crop, flip)</source>
        <translation>MAE (Ausschnitt, Spiegelung)</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Keine</translation>
    </message>
</context>
<context>
    <name>RunsBrowser</name>
    <message>
        <source>Delete run</source>
        <translation>Lauf löschen</translation>
    </message>
    <message>
        <source>Save notes</source>
        <translation>Notizen speichern</translation>
    </message>
    <message>
        <source>Filter by name, mode, status, tag or note</source>
        <translation>Nach Name, Modus, Status, Tag oder Notiz filtern</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <source>Load the run&apos;s latest checkpoint; Start continues it</source>
        <translation>Den letzten Checkpoint des Laufs laden; Start setzt ihn fort</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Vergleichen</translation>
    </message>
    <message>
        <source>Overlay the selected runs&apos; curves and list the settings that differ</source>
        <translation>Kurven der ausgewählten Läufe überlagern und abweichende Einstellungen zeigen</translation>
    </message>
    <message>
        <source>Evaluate…</source>
        <translation>Auswerten…</translation>
    </message>
    <message>
        <source>kNN and linear probe on the run&apos;s latest checkpoint</source>
        <translation>kNN und lineare Probe auf dem letzten Checkpoint des Laufs</translation>
    </message>
    <message>
        <source>Sweep…</source>
        <translation>Sweep…</translation>
    </message>
    <message>
        <source>Show folder</source>
        <translation>Ordner zeigen</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Löschen…</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>comma-separated, e.g. baseline, sigma</source>
        <translation>durch Kommas getrennt, z. B. baseline, sigma</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n Lauf</numerusform>
            <numerusform>%n Läufe</numerusform>
        </translation>
    </message>
    <message>
        <source>All tags</source>
        <translation>Alle Tags</translation>
    </message>
    <message>
        <source>Select one run</source>
        <translation>Einen Lauf auswählen</translation>
    </message>
    <message>
        <source>Notes saved in %1</source>
        <translation>Notizen gespeichert in %1</translation>
    </message>
    <message>
        <source>Delete the run folder %1 and everything in it? This cannot be undone.</source>
        <translation>Den Laufordner %1 mit allem Inhalt löschen? Das lässt sich nicht rückgängig machen.</translation>
    </message>
    <message>
        <source>Deleted %1</source>
        <translation>%1 gelöscht</translation>
    </message>
</context>
<context>
    <name>RunsTableModel</name>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>fertig</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>gestoppt</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>unterbrochen</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>leer</translation>
    </message>
    <message>
        <source>Dataset: %1</source>
        <translation>Datensatz: %1</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Gestartet</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Modus</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Schritte</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <source>kNN top-1</source>
        <translation>kNN Top-1</translation>
    </message>
    <message>
        <source>Linear top-1</source>
        <translation>Linear Top-1</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
</context>
<context>
    <name>SnapshotHistory</name>
    <message>
        <source>Cannot show the snapshot of step %1: %2</source>
        <translation>Snapshot von Schritt %1 kann nicht gezeigt werden: %2</translation>
    </message>
</context>
<context>
    <name>SnapshotSlider</name>
    <message>
        <source>Snapshots</source>
        <translation>Snapshots</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Live</translation>
    </message>
    <message>
        <source>Show the newest snapshot of the run as it trains</source>
        <translation>Den neuesten Snapshot des laufenden Trainings zeigen</translation>
    </message>
    <message numerus="yes">
        <source>Show a snapshot the run kept (%n kept, in the run folder&apos;s snapshots/)</source>
        <translation>
            <numerusform>Einen gespeicherten Snapshot zeigen (%n gespeichert, in snapshots/ des Laufordners)</numerusform>
            <numerusform>Einen gespeicherten Snapshot zeigen (%n gespeichert, in snapshots/ des Laufordners)</numerusform>
        </translation>
    </message>
    <message>
        <source>live</source>
        <translation>live</translation>
    </message>
    <message>
        <source>step %1</source>
        <translation>Schritt %1</translation>
    </message>
</context>
<context>
    <name>SweepDialog</name>
    <message>
        <source>seeds: &apos;%1&apos; is not a whole number</source>
        <translation>Seeds: „%1“ ist keine ganze Zahl</translation>
    </message>
    <message>
        <source>Sweep settings</source>
        <translation>Einstellungen durchmustern</translation>
    </message>
    <message>
        <source>Grid: each row is one setting and its values (comma-separated); every combination runs</source>
        <translation>Raster: jede Zeile ist eine Einstellung mit ihren Werten (durch Kommas getrennt); jede Kombination läuft</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>Einstellung</translation>
    </message>
    <message>
        <source>Values</source>
        <translation>Werte</translation>
    </message>
    <message>
        <source>Add setting</source>
        <translation>Einstellung hinzufügen</translation>
    </message>
    <message>
        <source>Remove setting</source>
        <translation>Einstellung entfernen</translation>
    </message>
    <message>
        <source>Seeds</source>
        <translation>Seeds</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>Auswerten</translation>
    </message>
    <message>
        <source>kNN</source>
        <translation>kNN</translation>
    </message>
    <message>
        <source>Linear probe</source>
        <translation>Lineare Probe</translation>
    </message>
    <message>
        <source>Runs at once</source>
        <translation>Gleichzeitige Läufe</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <source>Start sweep</source>
        <translation>Sweep starten</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
    <message>
        <source>Choose a folder for the sweep</source>
        <translation>Einen Ordner für den Sweep wählen</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n Lauf</numerusform>
            <numerusform>%n Läufe</numerusform>
        </translation>
    </message>
    <message>
        <source>A sweep is running</source>
        <translation>Ein Sweep läuft</translation>
    </message>
    <message>
        <source>can-sweep not found next to the studio (%1)</source>
        <translation>can-sweep nicht neben dem Studio gefunden (%1)</translation>
    </message>
    <message>
        <source>Cannot start %1: %2</source>
        <translation>%1 kann nicht gestartet werden: %2</translation>
    </message>
    <message>
        <source>Stopped; start the same sweep again to resume it</source>
        <translation>Gestoppt; denselben Sweep erneut starten, um fortzusetzen</translation>
    </message>
    <message>
        <source>The sweep ended with code %1; see %2</source>
        <translation>Der Sweep endete mit Code %1; siehe %2</translation>
    </message>
</context>
<context>
    <name>TrainingWorker</name>
    <message>
        <source>Snapshot not kept: %1</source>
        <translation>Snapshot nicht gespeichert: %1</translation>
    </message>
</context>
<context>
    <name>ViewsPanel</name>
    <message>
        <source>original</source>
        <translation>Original</translation>
    </message>
    <message>
        <source>view %1</source>
        <translation>Ansicht %1</translation>
    </message>
    <message>
        <source>sample %1</source>
        <translation>Beispiel %1</translation>
    </message>
</context>
</TS>
