<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>BenchTask</name>
    <message>
        <source>Loading checkpoint A and the images…</source>
        <translation>正在加载检查点 A 和图像…</translation>
    </message>
    <message>
        <source>Analysing A: health, σ sweep, attention…</source>
        <translation>正在分析 A：表征健康、σ 扫描、注意力…</translation>
    </message>
    <message>
        <source>Loading checkpoint B…</source>
        <translation>正在加载检查点 B…</translation>
    </message>
    <message>
        <source>Reconstructing with A and B…</source>
        <translation>正在用 A 和 B 重建…</translation>
    </message>
    <message>
        <source>σ sweep of B…</source>
        <translation>B 的 σ 扫描…</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
</context>
<context>
    <name>BenchView</name>
    <message>
        <source>Choose a run or checkpoint folder</source>
        <translation>选择运行或检查点文件夹</translation>
    </message>
    <message>
        <source>Bench: look inside a model</source>
        <translation>工作台：查看模型内部</translation>
    </message>
    <message>
        <source>Checkpoint</source>
        <translation>检查点</translation>
    </message>
    <message>
        <source>a run folder or a checkpoint folder</source>
        <translation>运行文件夹或检查点文件夹</translation>
    </message>
    <message>
        <source>Checkpoint B</source>
        <translation>检查点 B</translation>
    </message>
    <message>
        <source>a second run or checkpoint, analysed on the same images, masks and noise</source>
        <translation>第二个运行或检查点，在相同的图像、掩码和噪声上分析</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>How many images of the run&apos;s training data (the first batch of epoch 0) are analysed</source>
        <translation>分析该运行训练数据中的多少张图像（第 0 轮的第一个批次）</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Fixes the images&apos; order and augmentation, the noise, the masks and the sweep&apos;s shuffle</source>
        <translation>固定图像的顺序与增强、噪声、掩码以及扫描中的打乱</translation>
    </message>
    <message>
        <source>Analyse</source>
        <translation>分析</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>σ sweep</source>
        <translation>σ 扫描</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>表征健康</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>A/B</source>
        <translation>A/B</translation>
    </message>
    <message>
        <source>Each point: the model&apos;s own L_denoise and L_rec on the same images, masks and noise e, with every view&apos;s noise at σ. The noise-level embedding gets the true σ (blue), a shuffled σ (red) or σ = 0 (grey). Dashed: σ_max of the run.</source>
        <translation>每个点：模型自身在相同图像、掩码和噪声 e 上的 L_denoise 和 L_rec，每个视图的噪声均为 σ。噪声水平嵌入接收真实 σ（蓝）、打乱的 σ（红）或 σ = 0（灰）。虚线：该运行的 σ_max。</translation>
    </message>
    <message>
        <source>On the contrastive embeddings u of both noisy, masked views of every image, as a training step computes them. Hover over a number for what it means.</source>
        <translation>基于每张图像两个加噪、掩码视图的对比嵌入 u，与训练步骤的计算方式相同。将鼠标悬停在数字上可查看其含义。</translation>
    </message>
    <message>
        <source>Choose a checkpoint first</source>
        <translation>请先选择检查点</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>%1: %2 images, seed %3</source>
        <translation>%1：%2 张图像，随机种子 %3</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Cannot analyse: %1</source>
        <translation>无法分析：%1</translation>
    </message>
    <message>
        <source>This model was trained without N (denoising): it has no noise-level embedding, so there is no σ sweep.</source>
        <translation>该模型训练时未使用 N（去噪）：它没有噪声水平嵌入，因此没有 σ 扫描。</translation>
    </message>
    <message>
        <source>true σ</source>
        <translation>真实 σ</translation>
    </message>
    <message>
        <source>shuffled σ</source>
        <translation>打乱的 σ</translation>
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
        <translation>σ（每个视图的噪声水平）</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Head</source>
        <translation>头</translation>
    </message>
    <message>
        <source>class token / mean query</source>
        <translation>类别 token / 平均查询</translation>
    </message>
    <message>
        <source>rollout (all layers)</source>
        <translation>注意力展开（所有层）</translation>
    </message>
    <message>
        <source>mean of heads</source>
        <translation>各头平均</translation>
    </message>
    <message>
        <source>head %1</source>
        <translation>头 %1</translation>
    </message>
    <message>
        <source>layer %1</source>
        <translation>第 %1 层</translation>
    </message>
    <message>
        <source>σ sweep, B − A (true σ embedding): below 0 B denoises or reconstructs better</source>
        <translation>σ 扫描，B − A（真实 σ 嵌入）：低于 0 表示 B 去噪或重建得更好</translation>
    </message>
    <message>
        <source>A and B see the same images, masks and noise (A&apos;s σ_max and mask ratio). Reconstruction: the predicted masked patches pasted into the noisy visible ones; a norm_pix model predicts normalised patches, shown de-normalised with the true patch&apos;s mean and variance. Error: mean squared error of each masked patch against the clean view, white 0 to dark red the row&apos;s largest (A and B share the scale); grey: visible.</source>
        <translation>A 和 B 看到相同的图像、掩码和噪声（A 的 σ_max 和掩码率）。重建：预测的掩码图像块贴入加噪的可见图像块中；norm_pix 模型预测归一化的图像块，显示时用真实图像块的均值和方差反归一化。误差：每个掩码图像块相对干净视图的均方误差，白色为 0，深红为该行最大值（A 和 B 共用刻度）；灰色：可见。</translation>
    </message>
    <message>
        <source>the class token&apos;s row</source>
        <translation>类别 token 所在的行</translation>
    </message>
    <message>
        <source>the mean of the patch tokens&apos; rows</source>
        <translation>各图像块 token 所在行的平均</translation>
    </message>
    <message>
        <source>Attention rollout through all %1 layers (Abnar &amp; Zuidema 2020), %2</source>
        <translation>贯穿全部 %1 层的注意力展开（Abnar &amp; Zuidema 2020），%2</translation>
    </message>
    <message>
        <source>Layer %1, %2: %3</source>
        <translation>第 %1 层，%2：%3</translation>
    </message>
    <message>
        <source>%1, over the visible patches (sums to 1; red = most attended). Dark patches were masked (mask ratio %2): the encoder never saw them. Each visible patch shows its share in percent. Above: view 1 of image %3, the input of these maps (without noise).</source>
        <translation>%1，在可见图像块上（总和为 1；红色 = 最受关注）。深色图像块已被掩码（掩码率 %2）：编码器从未见过它们。每个可见图像块显示其所占百分比。上方：图像 %3 的视图 1，即这些图的输入（无噪声）。</translation>
    </message>
    <message>
        <source>Choose a checkpoint B above and press Analyse: A and B then run on the same images, masks and noise.</source>
        <translation>请在上方选择检查点 B 并点击“分析”：A 和 B 将在相同的图像、掩码和噪声上运行。</translation>
    </message>
    <message>
        <source>A and B cannot be compared on the same images and noise: %1</source>
        <translation>A 和 B 无法在相同的图像和噪声上比较：%1</translation>
    </message>
    <message>
        <source>A: %1
B: %2</source>
        <translation>A：%1
B：%2</translation>
    </message>
    <message>
        <source>Noisy, masked input</source>
        <translation>加噪、掩码后的输入</translation>
    </message>
    <message>
        <source>Reconstruction A</source>
        <translation>重建 A</translation>
    </message>
    <message>
        <source>Reconstruction B</source>
        <translation>重建 B</translation>
    </message>
    <message>
        <source>Error A</source>
        <translation>误差 A</translation>
    </message>
    <message>
        <source>Error B</source>
        <translation>误差 B</translation>
    </message>
    <message>
        <source>Mean squared error over the %1 masked patches: %2</source>
        <translation>%1 个掩码图像块上的均方误差：%2</translation>
    </message>
    <message>
        <source>No reconstructions: a model was trained without A.</source>
        <translation>无重建结果：有模型训练时未使用 A。</translation>
    </message>
    <message>
        <source>L_denoise, B − A</source>
        <translation>L_denoise，B − A</translation>
    </message>
    <message>
        <source>B − A</source>
        <translation>B − A</translation>
    </message>
    <message>
        <source>L_rec, B − A</source>
        <translation>L_rec，B − A</translation>
    </message>
    <message>
        <source>σ</source>
        <translation>σ</translation>
    </message>
    <message>
        <source>The curves coincide (largest relative difference %1): the decoder ignores its noise level.</source>
        <translation>三条曲线重合（最大相对差异 %1）：解码器忽略了它的噪声水平。</translation>
    </message>
    <message>
        <source>A wrong noise level changes the denoising error by up to %1 (sigma = 0: %2): the decoder uses its noise level.</source>
        <translation>错误的噪声水平使去噪误差最多改变 %1（σ = 0：%2）：解码器使用了它的噪声水平。</translation>
    </message>
</context>
<context>
    <name>ComparePlot</name>
    <message>
        <source>Total loss</source>
        <translation>总损失</translation>
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
        <translation>轮次</translation>
    </message>
    <message>
        <source>images seen</source>
        <translation>已见图像</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>Cannot write the image %1</source>
        <translation>无法写入图像 %1</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <source>Compare runs</source>
        <translation>比较运行</translation>
    </message>
    <message>
        <source>Align by</source>
        <translation>对齐方式</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>images seen</source>
        <translation>已见图像</translation>
    </message>
    <message>
        <source>Smoothing</source>
        <translation>平滑</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>导出 PNG…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Settings that differ</source>
        <translation>不同的设置</translation>
    </message>
    <message>
        <source>%1: cannot read its metrics: %2</source>
        <translation>%1：无法读取指标：%2</translation>
    </message>
    <message>
        <source>%1: no metrics yet</source>
        <translation>%1：尚无指标</translation>
    </message>
    <message>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>(absent)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Export the overlay as PNG</source>
        <translation>将叠加图导出为 PNG</translation>
    </message>
    <message>
        <source>PNG images (*.png);;All files (*)</source>
        <translation>PNG 图像 (*.png);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Export PNG</source>
        <translation>导出 PNG</translation>
    </message>
    <message>
        <source>Export the overlay as CSV</source>
        <translation>将叠加图导出为 CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV 文件 (*.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>导出 CSV</translation>
    </message>
</context>
<context>
    <name>ConfusionMatrixView</name>
    <message>
        <source>No evaluation yet</source>
        <translation>尚无评估</translation>
    </message>
    <message>
        <source>predicted class →</source>
        <translation>预测类别 →</translation>
    </message>
</context>
<context>
    <name>CurvesPanel</name>
    <message>
        <source>%1 (raw)</source>
        <translation>%1（原始）</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Images/s</source>
        <translation>图像/秒</translation>
    </message>
    <message>
        <source>Contrastive top-1</source>
        <translation>对比 top-1</translation>
    </message>
    <message>
        <source>kNN top-1</source>
        <translation>kNN top-1</translation>
    </message>
    <message>
        <source>Loss (log)</source>
        <translation>损失（对数）</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Top-1</source>
        <translation>Top-1</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>&amp;Smoothing</source>
        <translation>平滑(&amp;S)</translation>
    </message>
    <message>
        <source>Weight of the debiased exponential moving average drawn as the solid line (0 = raw values).</source>
        <translation>实线所示的去偏指数移动平均的权重（0 = 原始值）。</translation>
    </message>
    <message>
        <source>&amp;Log scale</source>
        <translation>对数坐标(&amp;L)</translation>
    </message>
    <message>
        <source>Logarithmic loss axis</source>
        <translation>损失轴使用对数刻度</translation>
    </message>
    <message>
        <source>&amp;X axis</source>
        <translation>X 轴(&amp;X)</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Save every received point as a CSV file</source>
        <translation>将收到的所有数据点保存为 CSV 文件</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>导出 PNG…</translation>
    </message>
    <message>
        <source>Save the plot as a PNG image</source>
        <translation>将图表保存为 PNG 图像</translation>
    </message>
    <message>
        <source>Hover over the plot to read every curve at a step. Drag or wheel to pan and zoom in x; double-click to follow the run again.</source>
        <translation>鼠标悬停在图表上可读取某一步所有曲线的数值。拖动或滚动滚轮可沿 x 方向平移和缩放；双击可重新跟随当前运行。</translation>
    </message>
    <message>
        <source>%1 %2 (smoothed %3)</source>
        <translation>%1 %2（平滑 %3）</translation>
    </message>
    <message>
        <source>lr %1</source>
        <translation>学习率 %1</translation>
    </message>
    <message>
        <source>%1 img/s</source>
        <translation>%1 img/s</translation>
    </message>
    <message>
        <source>grad norm %1</source>
        <translation>梯度范数 %1</translation>
    </message>
    <message>
        <source>contrastive top-1 %1</source>
        <translation>对比 top-1 %1</translation>
    </message>
    <message>
        <source>kNN top-1 %1</source>
        <translation>kNN top-1 %1</translation>
    </message>
    <message>
        <source>step %1   epoch %2</source>
        <translation>步数 %1   轮次 %2</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Cannot write the image %1</source>
        <translation>无法写入图像 %1</translation>
    </message>
    <message>
        <source>Export loss curves as CSV</source>
        <translation>将损失曲线导出为 CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV 文件 (*.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>导出 CSV</translation>
    </message>
    <message>
        <source>Export loss curves as PNG</source>
        <translation>将损失曲线导出为 PNG</translation>
    </message>
    <message>
        <source>PNG images (*.png);;All files (*)</source>
        <translation>PNG 图像 (*.png);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Export PNG</source>
        <translation>导出 PNG</translation>
    </message>
    <message>
        <source>Total (weighted)</source>
        <translation>总计（加权）</translation>
    </message>
    <message>
        <source>InfoNCE</source>
        <translation>InfoNCE</translation>
    </message>
    <message>
        <source>Reconstruction</source>
        <translation>重建</translation>
    </message>
    <message>
        <source>Denoising</source>
        <translation>去噪</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Legend top right</source>
        <translation>图例在右上</translation>
    </message>
    <message>
        <source>Legend top left</source>
        <translation>图例在左上</translation>
    </message>
    <message>
        <source>Legend bottom right</source>
        <translation>图例在右下</translation>
    </message>
    <message>
        <source>Legend bottom left</source>
        <translation>图例在左下</translation>
    </message>
    <message>
        <source>Hide legend</source>
        <translation>隐藏图例</translation>
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
        <translation>目标平衡：尚未测量（每 train.balance_every 步测量一次）</translation>
    </message>
    <message>
        <source>Objective balance (bottom plot): ‖∇C‖ is the norm of the gradient of λ_C·L_InfoNCE with respect to the encoder&apos;s parameters, ‖∇A‖ and ‖∇N‖ likewise for reconstruction and denoising; cos(C, A) is the cosine between two of these gradients. A cosine below 0 means the two objectives pull the encoder in opposing directions.</source>
        <translation>目标平衡（最下方的图）：‖∇C‖ 是 λ_C·L_InfoNCE 对编码器参数的梯度范数，‖∇A‖ 和 ‖∇N‖ 分别对应重建和去噪；cos(C, A) 是其中两个梯度之间的余弦。余弦小于 0 表示两个目标把编码器拉向相反的方向。</translation>
    </message>
    <message>
        <source>objective balance at step %1:   %2</source>
        <translation>第 %1 步的目标平衡：   %2</translation>
    </message>
    <message>
        <source>resources at step %1: %2</source>
        <translation>第 %1 步的资源：%2</translation>
    </message>
    <message>
        <source>CPU %1%</source>
        <translation>CPU %1%</translation>
    </message>
    <message>
        <source>resident %1 MiB</source>
        <translation>常驻 %1 MiB</translation>
    </message>
    <message>
        <source>GPU %1 MiB (reserved %2)</source>
        <translation>GPU %1 MiB（保留 %2）</translation>
    </message>
    <message>
        <source>CPU %</source>
        <translation>CPU %</translation>
    </message>
    <message>
        <source>Resident MiB</source>
        <translation>常驻 MiB</translation>
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
        <translation>分散度 (std·√r)</translation>
    </message>
    <message>
        <source>C share</source>
        <translation>C 占比</translation>
    </message>
    <message>
        <source>A share</source>
        <translation>A 占比</translation>
    </message>
    <message>
        <source>N share</source>
        <translation>N 占比</translation>
    </message>
    <message>
        <source>Objective balance as share of the update</source>
        <translation>以更新占比显示目标平衡</translation>
    </message>
    <message>
        <source>Each objective&apos;s part of the encoder&apos;s update direction, ⟨g_k, g⟩ / ‖g‖², stacked; the parts sum to 1</source>
        <translation>各目标在编码器更新方向上的份额 ⟨g_k, g⟩ / ‖g‖²，堆叠显示；各份额之和为 1</translation>
    </message>
    <message>
        <source>share</source>
        <translation>占比</translation>
    </message>
    <message>
        <source>Show learning rate and images/s</source>
        <translation>显示学习率和图像/秒</translation>
    </message>
    <message>
        <source>Show resources (CPU, memory)</source>
        <translation>显示资源（CPU、内存）</translation>
    </message>
</context>
<context>
    <name>DatasetBrowser</name>
    <message>
        <source>No image or class matches “%1”</source>
        <translation>没有与“%1”匹配的图像或类别</translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) shown</source>
        <translation>
            <numerusform>显示 %n 张图像</numerusform>
        </translation>
    </message>
    <message>
        <source>%1; image %2 (%3)</source>
        <translation>%1；图像 %2（%3）</translation>
    </message>
    <message>
        <source>Index or class name, Enter</source>
        <translation>索引或类别名，回车</translation>
    </message>
    <message>
        <source>An image index selects that image; a class name shows that class</source>
        <translation>图像索引选中该图像；类别名显示该类别</translation>
    </message>
</context>
<context>
    <name>DatasetThumbnails</name>
    <message>
        <source>Image %1: %2</source>
        <translation>图像 %1：%2</translation>
    </message>
</context>
<context>
    <name>DenoisingPanel</name>
    <message>
        <source>The noise objective (N) is off in this run: no noise is added, so there is nothing to denoise.</source>
        <translation>本次运行未启用噪声目标 (N)：不添加噪声，因此没有可去噪的内容。</translation>
    </message>
    <message>
        <source>sample %1, view %2</source>
        <translation>样本 %1，视图 %2</translation>
    </message>
    <message>
        <source>sample %1</source>
        <translation>样本 %1</translation>
    </message>
    <message>
        <source>scale ±%1</source>
        <translation>色标 ±%1</translation>
    </message>
    <message>
        <source>error %1</source>
        <translation>误差 %1</translation>
    </message>
    <message>
        <source>true noise</source>
        <translation>真实噪声</translation>
    </message>
    <message>
        <source>predicted noise</source>
        <translation>预测噪声</translation>
    </message>
    <message>
        <source>denoised</source>
        <translation>去噪结果</translation>
    </message>
    <message>
        <source>True and predicted noise share one colour scale per row, set by the true noise (its largest value is full colour; a prediction beyond it saturates). Grey: masked patches, where the decoder predicts pixels, not noise.</source>
        <translation>真实噪声与预测噪声每行共用一个色标，由真实噪声决定（其最大值为满色；超出的预测会饱和）。灰色：被掩码的图像块，解码器在这些位置预测像素而非噪声。</translation>
    </message>
</context>
<context>
    <name>EvalTask</name>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
</context>
<context>
    <name>EvalView</name>
    <message>
        <source>Choose a run or checkpoint folder</source>
        <translation>选择运行或检查点文件夹</translation>
    </message>
    <message>
        <source>Evaluate a checkpoint</source>
        <translation>评估检查点</translation>
    </message>
    <message>
        <source>Checkpoint</source>
        <translation>检查点</translation>
    </message>
    <message>
        <source>a run folder, a checkpoint folder or an exported .safetensors</source>
        <translation>运行文件夹、检查点文件夹或导出的 .safetensors</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>kNN</source>
        <translation>kNN</translation>
    </message>
    <message>
        <source>Linear probe</source>
        <translation>线性探测</translation>
    </message>
    <message>
        <source>Train images</source>
        <translation>训练图像</translation>
    </message>
    <message>
        <source>Test images</source>
        <translation>测试图像</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Probe epochs</source>
        <translation>探测轮数</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Top-1 per class</source>
        <translation>各类别 Top-1</translation>
    </message>
    <message>
        <source>Confusion matrix (rows: true class)</source>
        <translation>混淆矩阵（行：真实类别）</translation>
    </message>
    <message>
        <source>Recorded in %1</source>
        <translation>已记录于 %1</translation>
    </message>
    <message>
        <source>Choose a checkpoint first</source>
        <translation>请先选择检查点</translation>
    </message>
    <message>
        <source>Choose kNN or the linear probe</source>
        <translation>请选择 kNN 或线性探测</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Features of the train split</source>
        <translation>训练集特征</translation>
    </message>
    <message>
        <source>Features of the test split</source>
        <translation>测试集特征</translation>
    </message>
    <message>
        <source>Linear probe (epochs)</source>
        <translation>线性探测（轮）</translation>
    </message>
    <message>
        <source>%1: %2 of %3</source>
        <translation>%1：%2 / %3</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Done; recorded in %1</source>
        <translation>完成；已记录于 %1</translation>
    </message>
    <message>
        <source>Cancelled: nothing was recorded</source>
        <translation>已取消：未记录任何内容</translation>
    </message>
    <message>
        <source>kNN top-1 %1</source>
        <translation>kNN Top-1 %1</translation>
    </message>
    <message>
        <source>linear probe top-1 %1</source>
        <translation>线性探测 Top-1 %1</translation>
    </message>
    <message>
        <source>step %1 · %2 · %3 train / %4 test images · %5 s</source>
        <translation>第 %1 步 · %2 · %3 训练 / %4 测试图像 · %5 秒</translation>
    </message>
</context>
<context>
    <name>FileActions</name>
    <message>
        <source>Open checkpoint or run folder</source>
        <translation>打开检查点或运行目录</translation>
    </message>
    <message>
        <source>Load preset</source>
        <translation>加载预设</translation>
    </message>
    <message>
        <source>Run config (*.json)</source>
        <translation>运行配置 (*.json)</translation>
    </message>
    <message>
        <source>Loaded preset %1</source>
        <translation>已加载预设 %1</translation>
    </message>
    <message>
        <source>Save preset</source>
        <translation>保存预设</translation>
    </message>
    <message>
        <source>Saved preset %1 (use it with can-train --config)</source>
        <translation>已保存预设 %1（可用于 can-train --config）</translation>
    </message>
    <message>
        <source>Export encoder</source>
        <translation>导出编码器</translation>
    </message>
    <message>
        <source>safetensors (*.safetensors)</source>
        <translation>safetensors (*.safetensors)</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
    <message>
        <source>Exported the encoder of step %1 to %2 (timm names, architecture in the .json next to it)</source>
        <translation>已将第 %1 步的编码器导出到 %2（timm 命名，架构信息在同目录的 .json 文件中）</translation>
    </message>
</context>
<context>
    <name>HealthView</name>
    <message>
        <source>Effective rank (Roy &amp; Vetterli 2007): how many directions the batch of embeddings uses. Small against its maximum means dimensional collapse.</source>
        <translation>有效秩（Roy &amp; Vetterli 2007）：该批嵌入使用了多少个方向。远小于其最大值意味着维度坍缩。</translation>
    </message>
    <message>
        <source>Mean per-dimension std of the normalised embeddings against 1/√r, the std of unit vectors spread evenly over the sphere: a ratio near 1 is healthy, near 0 collapsed.</source>
        <translation>归一化嵌入各维度标准差的均值，与 1/√r（均匀分布在球面上的单位向量的标准差）相比：比值接近 1 为健康，接近 0 为坍缩。</translation>
    </message>
    <message>
        <source>Mean cosine of positive pairs (two views of one image: should be near 1) and of negative pairs (different images: near 0 or below).</source>
        <translation>正样本对（同一图像的两个视图：应接近 1）和负样本对（不同图像：接近 0 或更低）的平均余弦。</translation>
    </message>
    <message>
        <source>Alignment (Wang &amp; Isola 2020): mean squared distance of the two views&apos; embeddings, in [0, 4]; lower is better aligned.</source>
        <translation>对齐度（Wang &amp; Isola 2020）：两个视图嵌入之间的均方距离，范围 [0, 4]；越低对齐越好。</translation>
    </message>
    <message>
        <source>Uniformity (Wang &amp; Isola 2020): log of the mean Gaussian potential of all pairs, in [−4, 0]; lower is more uniform.</source>
        <translation>均匀度（Wang &amp; Isola 2020）：所有样本对平均高斯势的对数，范围 [−4, 0]；越低越均匀。</translation>
    </message>
    <message>
        <source>Effective rank: %1 of at most %2</source>
        <translation>有效秩：%1（最大 %2）</translation>
    </message>
    <message>
        <source>Mean std: %1 (1/√r = %2, ratio %3)</source>
        <translation>平均标准差：%1（1/√r = %2，比值 %3）</translation>
    </message>
    <message>
        <source>Mean cosine: positive %1, negative %2</source>
        <translation>平均余弦：正 %1，负 %2</translation>
    </message>
    <message>
        <source>Alignment: %1 (lower is better)</source>
        <translation>对齐度：%1（越低越好）</translation>
    </message>
    <message>
        <source>Uniformity: %1 (lower is more uniform)</source>
        <translation>均匀度：%1（越低越均匀）</translation>
    </message>
    <message>
        <source>Embeddings: mean-pooled encoder features (the model has no projector)</source>
        <translation>嵌入：平均池化的编码器特征（该模型没有投影头）</translation>
    </message>
    <message>
        <source>Embeddings: the projector&apos;s output u, both views</source>
        <translation>嵌入：投影头的输出 u，两个视图</translation>
    </message>
    <message>
        <source>std per dimension</source>
        <translation>各维度标准差</translation>
    </message>
    <message>
        <source>1/√r</source>
        <translation>1/√r</translation>
    </message>
    <message>
        <source>dimension (sorted by std)</source>
        <translation>维度（按标准差排序）</translation>
    </message>
    <message>
        <source>std over the batch</source>
        <translation>批内标准差</translation>
    </message>
    <message>
        <source>positive pairs</source>
        <translation>正样本对</translation>
    </message>
    <message>
        <source>negative pairs</source>
        <translation>负样本对</translation>
    </message>
    <message>
        <source>cosine similarity</source>
        <translation>余弦相似度</translation>
    </message>
    <message>
        <source>fraction of pairs</source>
        <translation>样本对占比</translation>
    </message>
</context>
<context>
    <name>ImageGrid</name>
    <message>
        <source>The images of the run appear here at its first snapshot. Press Start, or open a checkpoint.</source>
        <translation>运行的图像会在第一次快照时显示在这里。请按“开始”，或打开一个检查点。</translation>
    </message>
</context>
<context>
    <name>InspectorEngine</name>
    <message>
        <source>No checkpoint is open</source>
        <translation>未打开检查点</translation>
    </message>
    <message>
        <source>Image %1 is not in the dataset</source>
        <translation>数据集中没有图像 %1</translation>
    </message>
    <message>
        <source>No live weights came</source>
        <translation>未收到实时权重</translation>
    </message>
</context>
<context>
    <name>InspectorView</name>
    <message>
        <source>The current run has no checkpoint yet</source>
        <translation>当前运行尚无检查点</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <source>Choose a run or checkpoint folder</source>
        <translation>选择运行或检查点文件夹</translation>
    </message>
    <message>
        <source>%1 of %2 patches masked</source>
        <translation>%2 个图像块中 %1 个被掩码</translation>
    </message>
    <message>
        <source>(not trained)</source>
        <translation>（未训练）</translation>
    </message>
    <message>
        <source>masked, noisy</source>
        <translation>掩码、加噪</translation>
    </message>
    <message>
        <source>masked patches predicted</source>
        <translation>预测的掩码图像块</translation>
    </message>
    <message>
        <source>max %1</source>
        <translation>最大 %1</translation>
    </message>
    <message>
        <source>σe, scale %1</source>
        <translation>σe，缩放 %1</translation>
    </message>
    <message>
        <source>visible patches</source>
        <translation>可见图像块</translation>
    </message>
    <message>
        <source>input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>prediction</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>error per patch</source>
        <translation>每个图像块的误差</translation>
    </message>
    <message>
        <source>reconstruction (A)</source>
        <translation>重建 (A)</translation>
    </message>
    <message>
        <source>denoising (N)</source>
        <translation>去噪 (N)</translation>
    </message>
    <message>
        <source>Nearest training images: computing the features of the first %1…</source>
        <translation>最近的训练图像：正在计算前 %1 张的特征…</translation>
    </message>
    <message>
        <source>Nearest training images (cosine of mean-pooled encoder features)</source>
        <translation>最近的训练图像（平均池化编码器特征的余弦）</translation>
    </message>
    <message>
        <source>Checkpoint of step %1. Last change shown in %2 ms (the model&apos;s part %3 ms).</source>
        <translation>第 %1 步的检查点。上次更改在 %2 ms 内显示（其中模型 %3 ms）。</translation>
    </message>
    <message>
        <source>Image %1, σ = %2, %3 masked: L_rec = %4, L_denoise = %5</source>
        <translation>图像 %1，σ = %2，%3 被掩码：L_rec = %4，L_denoise = %5</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>不适用</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>检查器</translation>
    </message>
    <message>
        <source>Weights:</source>
        <translation>权重：</translation>
    </message>
    <message>
        <source>Checkpoint…</source>
        <translation>检查点…</translation>
    </message>
    <message>
        <source>Latest of current run</source>
        <translation>当前运行的最新</translation>
    </message>
    <message>
        <source>The newest checkpoint the current run has written</source>
        <translation>当前运行写入的最新检查点</translation>
    </message>
    <message>
        <source>Mask ratio</source>
        <translation>掩码率</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Random mask</source>
        <translation>随机掩码</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>σ</source>
        <translation>σ</translation>
    </message>
    <message>
        <source>Noise level, 0 to twice the checkpoint&apos;s σ_max</source>
        <translation>噪声水平，0 到检查点 σ_max 的两倍</translation>
    </message>
    <message>
        <source>Noise seed</source>
        <translation>噪声种子</translation>
    </message>
    <message>
        <source>Click or drag to mask and unmask patches</source>
        <translation>单击或拖动以掩码或取消掩码图像块</translation>
    </message>
    <message>
        <source>norm_pix: the decoder predicts each patch normalised; the reconstruction is shown with the true patch&apos;s mean and variance (as MAE shows it).</source>
        <translation>norm_pix：解码器预测每个图像块的归一化值；重建结果使用真实图像块的均值和方差显示（与 MAE 的显示方式相同）。</translation>
    </message>
    <message>
        <source>Choose a checkpoint</source>
        <translation>选择检查点</translation>
    </message>
    <message>
        <source>No run is training</source>
        <translation>没有正在训练的运行</translation>
    </message>
    <message>
        <source>Asking the run for its weights…</source>
        <translation>正在向运行请求权重…</translation>
    </message>
    <message>
        <source>Live weights of step %1</source>
        <translation>第 %1 步的实时权重</translation>
    </message>
    <message>
        <source>Loading the live weights of step %1…</source>
        <translation>正在加载第 %1 步的实时权重…</translation>
    </message>
    <message>
        <source>Live weights of step %1. Last change shown in %2 ms (the model&apos;s part %3 ms).</source>
        <translation>第 %1 步的实时权重。上次更改在 %2 ms 内显示（其中模型 %3 ms）。</translation>
    </message>
    <message>
        <source>Live weights</source>
        <translation>实时权重</translation>
    </message>
    <message>
        <source>A copy of the training model taken between two steps, the run going on (a fresh copy each press)</source>
        <translation>在两步之间复制的训练模型，运行继续进行（每次点击复制一份新的）</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Checkpoint saved: %1</source>
        <translation>检查点已保存：%1</translation>
    </message>
    <message>
        <source>The translation for %1 is missing.</source>
        <translation>缺少 %1 的翻译。</translation>
    </message>
    <message>
        <source>CAN Studio</source>
        <translation>CAN Studio</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Save checkpoint</source>
        <translation>保存检查点</translation>
    </message>
    <message>
        <source>Open checkpoint…</source>
        <translation>打开检查点…</translation>
    </message>
    <message>
        <source>Export encoder…</source>
        <translation>导出编码器…</translation>
    </message>
    <message>
        <source>Load preset…</source>
        <translation>加载预设…</translation>
    </message>
    <message>
        <source>Save preset…</source>
        <translation>保存预设…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Reset layout</source>
        <translation>重置布局</translation>
    </message>
    <message>
        <source>Stop after the current step and save a checkpoint</source>
        <translation>在当前步完成后停止并保存检查点</translation>
    </message>
    <message>
        <source>Export the encoder of the last checkpoint as safetensors with timm names</source>
        <translation>将最新检查点的编码器导出为 safetensors（使用 timm 命名）</translation>
    </message>
    <message>
        <source>Run setup</source>
        <translation>运行设置</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>视图</translation>
    </message>
    <message>
        <source>Masks</source>
        <translation>掩码</translation>
    </message>
    <message>
        <source>Noise</source>
        <translation>噪声</translation>
    </message>
    <message>
        <source>Reconstruction</source>
        <translation>重建</translation>
    </message>
    <message>
        <source>Denoising</source>
        <translation>去噪</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>Run controls</source>
        <translation>运行控制</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练中</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>step %1 / %2 · epoch %3</source>
        <translation>步数 %1 / %2 · 轮次 %3</translation>
    </message>
    <message>
        <source>ETA %1</source>
        <translation>预计剩余 %1</translation>
    </message>
    <message>
        <source>%1 img/s</source>
        <translation>%1 img/s</translation>
    </message>
    <message>
        <source>device: %1</source>
        <translation>设备：%1</translation>
    </message>
    <message>
        <source>no checkpoint yet</source>
        <translation>尚无检查点</translation>
    </message>
    <message>
        <source>Skipped unusable file %1</source>
        <translation>已跳过无法使用的文件 %1</translation>
    </message>
    <message>
        <source>More unusable files: they are counted in the status bar and listed in skipped_files.txt in the run folder.</source>
        <translation>更多无法使用的文件：状态栏会计数，运行文件夹中的 skipped_files.txt 会列出它们。</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) skipped</source>
        <translation>
            <numerusform>已跳过 %n 个文件</numerusform>
        </translation>
    </message>
    <message>
        <source>Training files that could not be read; the Log names each one.</source>
        <translation>无法读取的训练文件；日志中逐一列出。</translation>
    </message>
    <message>
        <source>checkpoint %1</source>
        <translation>检查点 %1</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <source>The run setup has an invalid value: %1</source>
        <translation>运行设置中有无效值：%1</translation>
    </message>
    <message>
        <source>Starting run in %1</source>
        <translation>正在 %1 中启动运行</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Run %1 at step %2</source>
        <translation>运行于第 %2 步%1</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>无法打开 %1：%2</translation>
    </message>
    <message>
        <source>Opened %1: Start continues this run; Export writes its encoder.</source>
        <translation>已打开 %1：“开始”将继续此次运行；“导出编码器”将导出其编码器。</translation>
    </message>
    <message>
        <source>Training is running</source>
        <translation>训练正在进行</translation>
    </message>
    <message>
        <source>Stop the run, save a checkpoint and quit?</source>
        <translation>停止运行、保存检查点并退出？</translation>
    </message>
    <message>
        <source>Stopping: the window closes once the checkpoint is saved.</source>
        <translation>正在停止：检查点保存后窗口将关闭。</translation>
    </message>
    <message>
        <source>%1 — CAN Studio</source>
        <translation>%1 — CAN Studio</translation>
    </message>
    <message>
        <source>%1 at step %2 (Start continues it) — CAN Studio</source>
        <translation>%1，第 %2 步（“开始”将继续此运行）— CAN Studio</translation>
    </message>
    <message>
        <source>New run — CAN Studio</source>
        <translation>新运行 — CAN Studio</translation>
    </message>
    <message>
        <source>Select the runs to compare in the Runs list</source>
        <translation>请在“运行”列表中选择要比较的运行</translation>
    </message>
    <message>
        <source>Stop the current run before opening another</source>
        <translation>请先停止当前运行再打开另一个</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Compare selected runs</source>
        <translation>比较所选运行</translation>
    </message>
    <message>
        <source>Evaluate checkpoint…</source>
        <translation>评估检查点…</translation>
    </message>
    <message>
        <source>Sweep settings…</source>
        <translation>参数扫描…</translation>
    </message>
    <message>
        <source>E&amp;xperiments</source>
        <translation>实验(&amp;X)</translation>
    </message>
    <message>
        <source>Sweep started in %1</source>
        <translation>扫描已在 %1 开始</translation>
    </message>
    <message>
        <source>Sweep finished: %1</source>
        <translation>扫描完成：%1</translation>
    </message>
    <message>
        <source>Sweep ended (code %1): %2</source>
        <translation>扫描结束（代码 %1）：%2</translation>
    </message>
    <message>
        <source>Snapshot history</source>
        <translation>快照历史</translation>
    </message>
    <message>
        <source>Inspector…</source>
        <translation>检查器…</translation>
    </message>
    <message>
        <source>Bench…</source>
        <translation>工作台…</translation>
    </message>
</context>
<context>
    <name>MasksPanel</name>
    <message>
        <source>mask ratio %1</source>
        <translation>掩码率 %1</translation>
    </message>
    <message>
        <source>view %1</source>
        <translation>视图 %1</translation>
    </message>
    <message>
        <source>sample %1</source>
        <translation>样本 %1</translation>
    </message>
    <message>
        <source>%1 of %2 patches masked</source>
        <translation>%2 个图像块中 %1 个被掩码</translation>
    </message>
</context>
<context>
    <name>NoisePanel</name>
    <message numerus="yes">
        <source>σ of the %n view(s) in the batch, drawn uniformly from [0, σ_max]</source>
        <translation>
            <numerusform>批次中 %n 个视图的 σ，从 [0, σ_max] 均匀采样</numerusform>
        </translation>
    </message>
    <message>
        <source>No noise is added in this run (σ_max = 0).</source>
        <translation>本次运行不添加噪声（σ_max = 0）。</translation>
    </message>
    <message>
        <source>noisy view %1</source>
        <translation>加噪视图 %1</translation>
    </message>
    <message>
        <source>sample %1</source>
        <translation>样本 %1</translation>
    </message>
</context>
<context>
    <name>ReconstructionPanel</name>
    <message>
        <source>This mode has no decoder (SimCLR): there is nothing to reconstruct.</source>
        <translation>该模式没有解码器（SimCLR）：没有可重建的内容。</translation>
    </message>
    <message>
        <source>norm_pix is on: the decoder predicts each patch normalised to zero mean and unit variance; predictions are shown mapped back with each target patch&apos;s own mean and variance.</source>
        <translation>norm_pix 已开启：解码器预测的是归一化为零均值、单位方差的图像块；显示的预测结果已用各目标图像块自身的均值和方差还原。</translation>
    </message>
    <message>
        <source>sample %1, view %2</source>
        <translation>样本 %1，视图 %2</translation>
    </message>
    <message>
        <source>sample %1</source>
        <translation>样本 %1</translation>
    </message>
    <message>
        <source>masked view</source>
        <translation>掩码视图</translation>
    </message>
    <message>
        <source>reconstruction</source>
        <translation>重建结果</translation>
    </message>
    <message>
        <source>target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>The reconstruction objective (A) is off in this run: the decoder predicts noise only, so there is nothing to reconstruct.</source>
        <translation>本次运行未启用重建目标 (A)：解码器仅预测噪声，因此没有可重建的内容。</translation>
    </message>
</context>
<context>
    <name>RunSetupPanel</name>
    <message>
        <source>Image folder</source>
        <translation>图像文件夹</translation>
    </message>
    <message>
        <source>Dataset folder</source>
        <translation>数据集文件夹</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Data path</source>
        <translation>数据路径</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>Contrastive (C)</source>
        <translation>对比学习 (C)</translation>
    </message>
    <message>
        <source>Reconstruction (A)</source>
        <translation>重建 (A)</translation>
    </message>
    <message>
        <source>Denoising (N)</source>
        <translation>去噪 (N)</translation>
    </message>
    <message>
        <source>Model preset</source>
        <translation>模型预设</translation>
    </message>
    <message>
        <source>Patch size</source>
        <translation>图像块大小</translation>
    </message>
    <message>
        <source>Mask ratio m</source>
        <translation>掩码率 m</translation>
    </message>
    <message>
        <source>Noise σ_max</source>
        <translation>噪声 σ_max</translation>
    </message>
    <message>
        <source>Temperature τ</source>
        <translation>温度 τ</translation>
    </message>
    <message>
        <source>Weight λ_C (InfoNCE)</source>
        <translation>权重 λ_C（InfoNCE）</translation>
    </message>
    <message>
        <source>Weight λ_A (reconstruction)</source>
        <translation>权重 λ_A（重建）</translation>
    </message>
    <message>
        <source>Weight λ_N (denoising)</source>
        <translation>权重 λ_N（去噪）</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Base learning rate</source>
        <translation>基础学习率</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>训练轮数</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Can be changed while training: press Enter to apply it at the next step.</source>
        <translation>训练中可修改：按回车键，从下一步起生效。</translation>
    </message>
    <message>
        <source>Config key: %1</source>
        <translation>配置键：%1</translation>
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
        <translation>MAE（仅 A，m = 0.75）</translation>
    </message>
    <message>
        <source>SimCLR (C only, no masking)</source>
        <translation>SimCLR（仅 C，无掩码）</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>auto (CUDA when present)</source>
        <translation>自动（有 CUDA 时使用 CUDA）</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Load preset…</source>
        <translation>加载预设…</translation>
    </message>
    <message>
        <source>Save preset…</source>
        <translation>保存预设…</translation>
    </message>
    <message>
        <source>(packaged)</source>
        <translation>（内置）</translation>
    </message>
    <message>
        <source>Range: %1</source>
        <translation>范围：%1</translation>
    </message>
    <message>
        <source>Range: %1 (%2)</source>
        <translation>范围：%1（%2）</translation>
    </message>
    <message>
        <source>Augmentation</source>
        <translation>数据增强</translation>
    </message>
    <message>
        <source>SimCLR (crop, colour, blur)</source>
        <translation>SimCLR（裁剪、颜色、模糊）</translation>
    </message>
    <message>
        <source>MAE (crop, flip)</source>
        <translation>MAE（裁剪、翻转）</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>RunsBrowser</name>
    <message>
        <source>Delete run</source>
        <translation>删除运行</translation>
    </message>
    <message>
        <source>Save notes</source>
        <translation>保存备注</translation>
    </message>
    <message>
        <source>Filter by name, mode, status, tag or note</source>
        <translation>按名称、模式、状态、标签或备注筛选</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Load the run&apos;s latest checkpoint; Start continues it</source>
        <translation>加载该运行的最新检查点；“开始”将继续它</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>Overlay the selected runs&apos; curves and list the settings that differ</source>
        <translation>叠加所选运行的曲线并列出不同的设置</translation>
    </message>
    <message>
        <source>Evaluate…</source>
        <translation>评估…</translation>
    </message>
    <message>
        <source>kNN and linear probe on the run&apos;s latest checkpoint</source>
        <translation>对该运行的最新检查点做 kNN 和线性探测</translation>
    </message>
    <message>
        <source>Sweep…</source>
        <translation>扫描…</translation>
    </message>
    <message>
        <source>Show folder</source>
        <translation>显示文件夹</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>comma-separated, e.g. baseline, sigma</source>
        <translation>逗号分隔，例如 baseline, sigma</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n 个运行</numerusform>
        </translation>
    </message>
    <message>
        <source>All tags</source>
        <translation>所有标签</translation>
    </message>
    <message>
        <source>Select one run</source>
        <translation>请选择一个运行</translation>
    </message>
    <message>
        <source>Notes saved in %1</source>
        <translation>备注已保存到 %1</translation>
    </message>
    <message>
        <source>Delete the run folder %1 and everything in it? This cannot be undone.</source>
        <translation>删除运行文件夹 %1 及其中全部内容？此操作无法撤销。</translation>
    </message>
    <message>
        <source>Deleted %1</source>
        <translation>已删除 %1</translation>
    </message>
</context>
<context>
    <name>RunsTableModel</name>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>空</translation>
    </message>
    <message>
        <source>Dataset: %1</source>
        <translation>数据集：%1</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>kNN top-1</source>
        <translation>kNN Top-1</translation>
    </message>
    <message>
        <source>Linear top-1</source>
        <translation>线性 Top-1</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>SnapshotHistory</name>
    <message>
        <source>Cannot show the snapshot of step %1: %2</source>
        <translation>无法显示第 %1 步的快照：%2</translation>
    </message>
</context>
<context>
    <name>SnapshotSlider</name>
    <message>
        <source>Snapshots</source>
        <translation>快照</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <source>Show the newest snapshot of the run as it trains</source>
        <translation>显示训练中最新的快照</translation>
    </message>
    <message numerus="yes">
        <source>Show a snapshot the run kept (%n kept, in the run folder&apos;s snapshots/)</source>
        <translation>
            <numerusform>显示该运行保存的快照（已保存 %n 个，位于运行文件夹的 snapshots/）</numerusform>
        </translation>
    </message>
    <message>
        <source>live</source>
        <translation>实时</translation>
    </message>
    <message>
        <source>step %1</source>
        <translation>第 %1 步</translation>
    </message>
</context>
<context>
    <name>SweepDialog</name>
    <message>
        <source>seeds: &apos;%1&apos; is not a whole number</source>
        <translation>种子：“%1”不是整数</translation>
    </message>
    <message>
        <source>Sweep settings</source>
        <translation>参数扫描</translation>
    </message>
    <message>
        <source>Grid: each row is one setting and its values (comma-separated); every combination runs</source>
        <translation>网格：每行是一个设置及其取值（逗号分隔）；每种组合都会运行</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Values</source>
        <translation>取值</translation>
    </message>
    <message>
        <source>Add setting</source>
        <translation>添加设置</translation>
    </message>
    <message>
        <source>Remove setting</source>
        <translation>移除设置</translation>
    </message>
    <message>
        <source>Seeds</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>kNN</source>
        <translation>kNN</translation>
    </message>
    <message>
        <source>Linear probe</source>
        <translation>线性探测</translation>
    </message>
    <message>
        <source>Runs at once</source>
        <translation>同时运行数</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Start sweep</source>
        <translation>开始扫描</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Choose a folder for the sweep</source>
        <translation>请为扫描选择文件夹</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n 个运行</numerusform>
        </translation>
    </message>
    <message>
        <source>A sweep is running</source>
        <translation>扫描正在运行</translation>
    </message>
    <message>
        <source>can-sweep not found next to the studio (%1)</source>
        <translation>在工作室旁未找到 can-sweep（%1）</translation>
    </message>
    <message>
        <source>Cannot start %1: %2</source>
        <translation>无法启动 %1：%2</translation>
    </message>
    <message>
        <source>Stopped; start the same sweep again to resume it</source>
        <translation>已停止；再次启动同一扫描即可继续</translation>
    </message>
    <message>
        <source>The sweep ended with code %1; see %2</source>
        <translation>扫描以代码 %1 结束；见 %2</translation>
    </message>
</context>
<context>
    <name>TrainingWorker</name>
    <message>
        <source>Snapshot not kept: %1</source>
        <translation>快照未保存：%1</translation>
    </message>
</context>
<context>
    <name>ViewsPanel</name>
    <message>
        <source>original</source>
        <translation>原图</translation>
    </message>
    <message>
        <source>view %1</source>
        <translation>视图 %1</translation>
    </message>
    <message>
        <source>sample %1</source>
        <translation>样本 %1</translation>
    </message>
</context>
</TS>
