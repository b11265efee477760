<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>DatasetBrowser</name>
    <message numerus="yes">
        <source>%n image(s) shown</source>
        <translation>
            <numerusform>%n image shown</numerusform>
            <numerusform>%n images shown</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>%n file(s) skipped</source>
        <translation>
            <numerusform>%n file skipped</numerusform>
            <numerusform>%n files skipped</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NoisePanel</name>
    <message numerus="yes">
        <source>σ of the %n view(s) in the batch, drawn uniformly from [0, σ_max]</source>
        <translation>
            <numerusform>σ of the %n view in the batch, drawn uniformly from [0, σ_max]</numerusform>
            <numerusform>σ of the %n views in the batch, drawn uniformly from [0, σ_max]</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RunsBrowser</name>
    <message numerus="yes">
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n run</numerusform>
            <numerusform>%n runs</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SnapshotSlider</name>
    <message numerus="yes">
        <source>Show a snapshot the run kept (%n kept, in the run folder&apos;s snapshots/)</source>
        <translation>
            <numerusform>Show a snapshot the run kept (%n kept, in the run folder&apos;s snapshots/)</numerusform>
            <numerusform>Show a snapshot the run kept (%n kept, in the run folder&apos;s snapshots/)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SweepDialog</name>
    <message numerus="yes">
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n run</numerusform>
            <numerusform>%n runs</numerusform>
        </translation>
    </message>
</context>
</TS>
