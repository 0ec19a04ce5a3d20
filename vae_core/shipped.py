"""The shipped models that particular lessons need, by file name in `checkpoints/`.

`vae_core.pretrain` builds them (its SHIPPED list must produce exactly these files); the Uses page
finds its denoising and unseen-digit pairs here and the β page its ladder.
"""

from __future__ import annotations

# The conv 16-D pair's nets, trained on noisy inputs with clean targets, and the pair they improve on.
DENOISING_PAIR: dict[str, str] = {"ae": "mnist-ae-conv-16d-denoising.pt", "vae": "mnist-vae-conv-16d-denoising.pt"}
PLAIN_OF_DENOISING: dict[str, str] = {"ae": "mnist-ae-conv-16d.pt", "vae": "mnist-vae-conv-16d.pt"}

# The MLP 16-D pair's nets, trained on MNIST without one digit, for anomaly detection.
UNSEEN_DIGIT = 2
ANOMALY_PAIR: dict[str, str] = {"ae": "mnist-ae-mlp-16d-no2.pt", "vae": "mnist-vae-mlp-16d-no2.pt"}

# The MLP 16-D VAE at a ladder of KL weights (β = 1 is the shipped 16-D VAE itself).
BETA_LADDER: dict[float, str] = {
    1.0: "mnist-vae-mlp-16d.pt",
    4.0: "mnist-vae-mlp-16d-beta4.pt",
    16.0: "mnist-vae-mlp-16d-beta16.pt",
}

# Beside the AE/VAE, in folders of their own (the AE/VAE picker lists checkpoints/*.pt alone): the
# evaluator classifier that measures every generative model, and the GANs and diffusion model.
EVALUATOR_FILE = "evaluator/mnist-classifier.pt"
GAN_16D_FILE = "generative/mnist-gan-16d.pt"
GAN_2D_FILE = "generative/mnist-gan-2d.pt"
COLLAPSING_GAN_FILE = "generative/mnist-gan-16d-collapse.pt"  # a recipe that collapses, on purpose
DIFFUSION_FILE = "generative/mnist-diffusion.pt"

# The Synthetic-data page: a conditional VAE (label given to encoder and decoder), in a folder of its own.
CONDITIONAL_FILE = "conditional/mnist-cvae-mlp-8d.pt"

# The Fill-in and Style pages: the MLP 16-D pair (the diffusion model fills in too; the evaluator reads the results).
IMPUTATION_PAIR: dict[str, str] = {"ae": "mnist-ae-mlp-16d.pt", "vae": "mnist-vae-mlp-16d.pt"}

# The page "VAE, GAN, diffusion": the four families on one scale, then the models beside them. Pretraining
# records each one's sample figures (comparison.measure) in its checkpoint.
COMPARED: dict[str, str] = {
    "ae": "mnist-ae-mlp-16d.pt",
    "vae": "mnist-vae-mlp-16d.pt",
    "gan": GAN_16D_FILE,
    "diffusion": DIFFUSION_FILE,
    "vae_2d": "mnist-vae-mlp-2d.pt",
    "gan_2d": GAN_2D_FILE,
    "gan_collapse": COLLAPSING_GAN_FILE,
}
